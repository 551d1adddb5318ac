import type { Vec3 } from '../../engine/core/index.ts';
import { placementFor, placementProblems } from '../geometry/placement.ts';
import { sceneIndex } from '../geometry/sceneIndex.ts';
import { type Device, type DeviceKind, newDeviceId, setStatus, studio } from '../store.ts';

const fmt = (p: Vec3) => p.map((v) => v.toFixed(2)).join(', ');
const kindName = (kind: DeviceKind) => (kind === 'tx' ? 'Tx' : 'Rx');

/** What is wrong with a device's position (outside the bounds, inside a solid), in words; [] when nothing. */
export function problemsAt(position: Vec3): string[] {
  const scene = studio.get().twin?.scene;
  return scene ? placementProblems(scene, sceneIndex(scene), position) : [];
}

/** The next free name of a kind ("Tx 3"): one more than the highest number in use. */
function nextName(kind: DeviceKind): string {
  const used = studio
    .get()
    .devices.filter((d) => d.kind === kind)
    .map((d) => Number(d.name.slice(3)))
    .filter(Number.isFinite);
  return `${kindName(kind)} ${Math.max(0, ...used) + 1}`;
}

/**
 * Place a device on the surface the person clicked (as picked in the viewport: the visible
 * surface under the pointer, with its normal on the seen side): above a floor at the placement
 * height, off a wall or a ceiling (placementFor). A position outside the scene or inside a solid
 * is placed but said so (and flagged in the device list).
 */
export function placeDevice(kind: DeviceKind, pick: { point: Vec3; facingNormal: Vec3 }) {
  const s = studio.get();
  const scene = s.twin?.scene;
  if (!scene) return;
  const { position, note } = placementFor(
    scene,
    sceneIndex(scene),
    { ...pick, t: 0, triangle: -1, objectIndex: -1, faceIndex: -1 },
    s.placeHeight,
  );
  const device: Device = { id: newDeviceId(kind), kind, name: nextName(kind), position };
  studio.set({
    devices: [...s.devices, device],
    selectedDeviceId: device.id,
    placing: null,
    selection: null,
  });
  const problems = problemsAt(position);
  const hint = problems.some((p) => p.startsWith('outside'))
    ? ': turn on X-ray (X) or the ceiling cut to click inside the scene'
    : '';
  setStatus({
    level: problems.length ? 'error' : 'ok',
    message: `Placed ${device.name} at (${fmt(position)}) m${note ? ` (${note})` : ''}${
      problems.length ? ` — ${problems.join('; ')}${hint}` : ''
    }`,
  });
}

/** Add a device at given world coordinates (typed in, or a suggested position). */
export function addDeviceAt(kind: DeviceKind, position: Vec3) {
  const s = studio.get();
  const device: Device = {
    id: newDeviceId(kind),
    kind,
    name: nextName(kind),
    position: [...position] as Vec3,
  };
  studio.set({ devices: [...s.devices, device], selectedDeviceId: device.id, placing: null });
  const problems = problemsAt(device.position);
  setStatus({
    level: problems.length ? 'error' : 'ok',
    message: `Added ${device.name} at (${fmt(position)}) m${problems.length ? ` — ${problems.join('; ')}` : ''}`,
  });
}

export function updateDevice(id: string, patch: Partial<Omit<Device, 'id'>>) {
  studio.set((s) => ({ devices: s.devices.map((d) => (d.id === id ? { ...d, ...patch } : d)) }));
}

export function removeDevice(id: string) {
  studio.set((s) => ({
    devices: s.devices.filter((d) => d.id !== id),
    selectedDeviceId: s.selectedDeviceId === id ? null : s.selectedDeviceId,
  }));
}

export function selectSurface(objectIndex: number, faceIndex: number, point: Vec3) {
  studio.set({ selection: { objectIndex, faceIndex, point }, selectedDeviceId: null });
}

export function togglePlacing(kind: DeviceKind) {
  const placing = studio.get().placing === kind ? null : kind;
  studio.set({ placing });
  setStatus({
    level: 'info',
    message: placing
      ? `Click a surface or the floor to place a ${kind === 'tx' ? 'transmitter' : 'receiver'} (Esc cancels)`
      : 'Placement cancelled',
  });
}
