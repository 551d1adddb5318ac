import { clearResults } from './actions/results.ts';
import { type Device, type RootState, setStatus, studio, useStudio } from './store.ts';

/**
 * Undo / redo of the person's edits to the twin: devices (add, move, remove, antenna), material
 * overrides and applied calibrations. Every change of these store fields is recorded by a store
 * subscription, so an action needs no call to be undoable (an Apply of a calibration made
 * anywhere is one step). Changes of the same thing in quick succession (a drag, typing a
 * coordinate digit by digit) are one step. Loading another twin starts a new history.
 */

type Tracked = Pick<RootState, 'devices' | 'materials' | 'objectMaterial' | 'calibrationRecord'>;

interface Step {
  label: string;
  before: Tracked;
}

/** Changes of the same thing closer together than this are one step (ms). */
const COALESCE_MS = 1000;
const LIMIT = 200;

const undoStack: Step[] = [];
const redoStack: Step[] = [];
let quiet = 0;
let last: { key: string; at: number } | null = null;

const tracked = (s: RootState): Tracked => ({
  devices: s.devices,
  materials: s.materials,
  objectMaterial: s.objectMaterial,
  calibrationRecord: s.calibrationRecord,
});

function publish() {
  quietly(() =>
    studio.set({
      undoLabel: undoStack.at(-1)?.label ?? null,
      redoLabel: redoStack.at(-1)?.label ?? null,
    }),
  );
}

/** Run store updates that are not the person's edits (restoring a workspace, undo itself). */
export function quietly(fn: () => void) {
  quiet++;
  try {
    fn();
  } finally {
    quiet--;
  }
}

/** Forget every step (a new twin, a new workspace). */
export function clearHistory() {
  undoStack.length = 0;
  redoStack.length = 0;
  last = null;
  publish();
}

/** What changed between two states, as a label a person reads and a key for coalescing. */
export function describeChange(prev: Tracked, next: Tracked, objectName: (i: number) => string) {
  if (prev.devices !== next.devices) {
    const before = new Map(prev.devices.map((d) => [d.id, d]));
    const after = new Map(next.devices.map((d) => [d.id, d]));
    const added = next.devices.filter((d) => !before.has(d.id));
    const removed = prev.devices.filter((d) => !after.has(d.id));
    if (added.length === 1 && removed.length === 0)
      return { label: `add ${added[0]!.name}`, key: `add:${added[0]!.id}` };
    if (removed.length === 1 && added.length === 0)
      return { label: `remove ${removed[0]!.name}`, key: `remove:${removed[0]!.id}` };
    const changed = next.devices.filter((d) => before.has(d.id) && before.get(d.id) !== d);
    if (added.length === 0 && removed.length === 0 && changed.length === 1) {
      const d = changed[0]!;
      const old = before.get(d.id) as Device;
      const what = old.position.some((v, k) => v !== d.position[k])
        ? 'move'
        : old.name !== d.name
          ? 'rename'
          : 'antenna of';
      return { label: `${what} ${d.name}`, key: `${what}:${d.id}` };
    }
    return { label: 'edit devices', key: 'devices' };
  }
  // an override copies the object→material list even when no entry changes (scope 'material')
  const i = next.objectMaterial.findIndex((m, k) => m !== prev.objectMaterial[k]);
  if (prev.objectMaterial !== next.objectMaterial && i >= 0)
    return { label: `override ${objectName(i)}`, key: `object:${i}` };
  if (prev.materials !== next.materials) {
    const ids = Object.keys(next.materials).filter((id) => prev.materials[id] !== next.materials[id]);
    if (ids.some((id) => next.materials[id]?.source === 'calibrated'))
      return { label: 'apply calibration', key: `calibration:${ids.join(',')}` };
    return { label: `set ${ids.join(', ') || 'materials'}`, key: `material:${ids.join(',')}` };
  }
  return { label: 'calibration record', key: 'calibration-record' };
}

/** Record the person's edits from now on; returns the unsubscribe function. */
export function installHistory() {
  return useStudio.subscribe((s, prev) => {
    if (s.twin !== prev.twin) {
      clearHistory();
      return;
    }
    if (quiet > 0) return;
    if (
      s.devices === prev.devices &&
      s.materials === prev.materials &&
      s.objectMaterial === prev.objectMaterial &&
      s.calibrationRecord === prev.calibrationRecord
    )
      return;
    const { label, key } = describeChange(
      tracked(prev),
      tracked(s),
      (i) => s.twin?.scene.objects[i]?.name ?? `object ${i}`,
    );
    const now = performance.now();
    const coalesce = last !== null && last.key === key && now - last.at < COALESCE_MS && undoStack.length > 0;
    last = { key, at: now };
    redoStack.length = 0;
    if (!coalesce) {
      undoStack.push({ label, before: tracked(prev) });
      if (undoStack.length > LIMIT) undoStack.shift();
    }
    publish();
  });
}

function restore(state: Tracked) {
  const now = studio.get();
  const materialsChanged = now.materials !== state.materials || now.objectMaterial !== state.objectMaterial;
  quietly(() =>
    studio.set((s) => ({
      ...state,
      selectedDeviceId: state.devices.some((d) => d.id === s.selectedDeviceId) ? s.selectedDeviceId : null,
    })),
  );
  // results computed with other materials no longer apply (the trace reruns by itself)
  if (materialsChanged) clearResults();
}

export function undo() {
  const step = undoStack.pop();
  if (!step) return;
  redoStack.push({ label: step.label, before: tracked(studio.get()) });
  last = null;
  restore(step.before);
  publish();
  setStatus({ level: 'info', message: `Undid: ${step.label} (redo: Ctrl+Shift+Z)` });
}

export function redo() {
  const step = redoStack.pop();
  if (!step) return;
  undoStack.push({ label: step.label, before: tracked(studio.get()) });
  last = null;
  restore(step.before);
  publish();
  setStatus({ level: 'info', message: `Redid: ${step.label}` });
}
