import type { Vec3 } from '../../engine/core/index.ts';
import { xraySides } from '../geometry/picking.ts';
import { reportError, setStatus, studio } from '../store.ts';
import { engine } from '../worker/bridge.ts';

/** Camera moves the viewport registers while it is mounted (fit, top view, look from a point). */
export const cameraMoves: {
  fit: (() => void) | null;
  lookAt: ((position: Vec3, target: Vec3) => void) | null;
} = { fit: null, lookAt: null };

/** Frame the visible objects in the view (perspective or top). */
export function fitView() {
  cameraMoves.fit?.();
}

export function setViewMode(viewMode: 'perspective' | 'top') {
  studio.set({ viewMode });
}

export function toggleXray() {
  studio.set((s) => ({ xray: !s.xray }));
}

const objectName = (i: number) => studio.get().twin?.scene.objects[i]?.name ?? `object ${i}`;

/** Hide an object from the view and from picking (the tracer still sees it). */
export function hideObject(objectIndex: number) {
  const s = studio.get();
  if (s.hiddenObjects.includes(objectIndex)) return;
  studio.set({
    hiddenObjects: [...s.hiddenObjects, objectIndex],
    selection: s.selection?.objectIndex === objectIndex ? null : s.selection,
  });
  setStatus({ level: 'info', message: `Hid ${objectName(objectIndex)} from the view (still traced)` });
}

export function showAllObjects() {
  studio.set({ hiddenObjects: [] });
}

/** Cut the view (and picking) at `at` along axis 0 x, 1 y, 2 z (the ceiling cut), or remove the cut. */
export function setSectionCut(axis: 0 | 1 | 2 | null, at?: number) {
  const scene = studio.get().twin?.scene;
  if (axis === null || !scene) {
    studio.set({ sectionCut: null });
    return;
  }
  const { min, max } = scene.bbox;
  // default: a ceiling cut a tenth of the height below the top, a section through the middle
  const position = at ?? (axis === 2 ? max[2] - 0.1 * (max[2] - min[2]) : (min[axis] + max[axis]) / 2);
  studio.set({ sectionCut: { axis, at: position } });
}

/** Ask the engine worker which face sides X-ray sees through, for the twin just loaded. */
export async function loadFaceSides(sceneId: number) {
  try {
    const { exterior, inside } = await engine().call('faceSides', { sceneId });
    if (studio.get().twin?.sceneId !== sceneId) return;
    studio.set({ xrayFaces: { sceneId, seeThrough: xraySides(exterior, inside) } });
  } catch (e) {
    reportError(`X-ray: ${(e as Error).message}`);
  }
}
