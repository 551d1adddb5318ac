import type { Vec3 } from '../../engine/core/index.ts';
import { type Device, type DeviceKind, newDeviceId, setStatus, studio } from '../store.ts';

const fmt = (p: Vec3) => p.map((v) => v.toFixed(2)).join(', ');

/**
 * Place a device where the person clicked: on a floor-like surface (normal up) at the set
 * height above it, on a wall a little off the surface so it is not inside the wall.
 */
export function placeDevice(kind: DeviceKind, point: Vec3, normal: Vec3) {
  const s = studio.get();
  const up = normal[2] > 0.7;
  const position: Vec3 = up
    ? [point[0], point[1], point[2] + s.placeHeight]
    : [point[0] + 0.25 * normal[0], point[1] + 0.25 * normal[1], point[2] + 0.25 * normal[2]];
  const count = s.devices.filter((d) => d.kind === kind).length + 1;
  const device: Device = {
    id: newDeviceId(kind),
    kind,
    name: `${kind === 'tx' ? 'Tx' : 'Rx'} ${count}`,
    position,
  };
  studio.set({
    devices: [...s.devices, device],
    selectedDeviceId: device.id,
    placing: null,
    selection: null,
  });
  setStatus({ level: 'ok', message: `Placed ${device.name} at (${fmt(position)}) m` });
}

/** Add a device at given world coordinates (typed in, or a suggested position). */
export function addDeviceAt(kind: DeviceKind, position: Vec3) {
  const s = studio.get();
  const count = s.devices.filter((d) => d.kind === kind).length + 1;
  const device: Device = {
    id: newDeviceId(kind),
    kind,
    name: `${kind === 'tx' ? 'Tx' : 'Rx'} ${count}`,
    position: [...position] as Vec3,
  };
  studio.set({ devices: [...s.devices, device], selectedDeviceId: device.id, placing: null });
  setStatus({ level: 'ok', message: `Added ${device.name} at (${fmt(position)}) m` });
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
