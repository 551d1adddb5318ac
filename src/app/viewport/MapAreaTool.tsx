import { useThree } from '@react-three/fiber';
import { useEffect, useMemo, useState } from 'react';
import * as THREE from 'three';
import { DEFAULT_PLANE_HEIGHT } from '../actions/heatmap.ts';
import { setStatus, studio, useStudio } from '../store.ts';

/** Dragged bounds are rounded to the centimetre: the numbers the panel shows are the map's. */
const snap = (v: number) => Math.round(v * 100) / 100;

/**
 * The radio map's area, drawn in the 3D view: with "Drag area" on, a click-and-drag draws a
 * rectangle on the map's plane (z of the panel) instead of orbiting, and its corners become the
 * map's bounds; Esc leaves the mode. The chosen area is outlined at the plane's height.
 * The pointer is read in the capture phase on the window, before the orbit controls and the
 * scene's click handlers, so that neither sees the drag.
 */
export function MapAreaTool() {
  const { camera, gl, invalidate } = useThree();
  const active = useStudio((s) => s.heatmapAreaDrag);
  const bounds = useStudio((s) => s.heatmapBounds);
  const z = useStudio((s) =>
    s.twin ? (s.heatmapZ ?? s.twin.scene.bbox.min[2] + DEFAULT_PLANE_HEIGHT) : undefined,
  );
  const [rect, setRect] = useState<[number, number, number, number] | null>(null);

  useEffect(() => {
    if (!active || z === undefined) return;
    const el = gl.domElement;
    const ray = new THREE.Raycaster();
    const ndc = new THREE.Vector2();
    const plane = new THREE.Plane(new THREE.Vector3(0, 0, 1), -z);
    const onPlane = (e: PointerEvent | MouseEvent): [number, number] | null => {
      const r = el.getBoundingClientRect();
      ndc.set(((e.clientX - r.left) / r.width) * 2 - 1, -((e.clientY - r.top) / r.height) * 2 + 1);
      ray.setFromCamera(ndc, camera);
      const hit = new THREE.Vector3();
      return ray.ray.intersectPlane(plane, hit) ? [hit.x, hit.y] : null;
    };
    let start: [number, number] | null = null;
    let swallowClick = false;
    const down = (e: PointerEvent) => {
      if (e.target !== el || e.button !== 0) return;
      e.stopPropagation();
      e.preventDefault();
      start = onPlane(e);
    };
    const move = (e: PointerEvent) => {
      if (!start) return;
      e.stopPropagation();
      const p = onPlane(e);
      if (p) setRect([start[0], start[1], p[0], p[1]]);
      invalidate();
    };
    const up = (e: PointerEvent) => {
      if (!start) return;
      e.stopPropagation();
      const p = onPlane(e);
      const a = start;
      start = null;
      swallowClick = true;
      setRect(null);
      if (!p) return;
      const b: [number, number, number, number] = [
        snap(Math.min(a[0], p[0])),
        snap(Math.min(a[1], p[1])),
        snap(Math.max(a[0], p[0])),
        snap(Math.max(a[1], p[1])),
      ];
      if (!(b[2] > b[0] && b[3] > b[1])) {
        setStatus({ level: 'info', message: 'Radio map area: drag a rectangle, not a line or a point' });
        return;
      }
      studio.set({ heatmapBounds: b, heatmapAreaDrag: false, heatmapConfirm: null });
      setStatus({
        level: 'ok',
        message: `Radio map area x ${b[0]} … ${b[2]} m, y ${b[1]} … ${b[3]} m at z = ${z} m`,
      });
    };
    const click = (e: MouseEvent) => {
      if (!swallowClick) return;
      swallowClick = false;
      e.stopPropagation();
    };
    const key = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      start = null;
      setRect(null);
      studio.set({ heatmapAreaDrag: false });
      setStatus({ level: 'info', message: 'Radio map area: drag cancelled' });
    };
    const opts = { capture: true } as const;
    window.addEventListener('pointerdown', down, opts);
    window.addEventListener('pointermove', move, opts);
    window.addEventListener('pointerup', up, opts);
    window.addEventListener('click', click, opts);
    window.addEventListener('keydown', key, opts);
    // the canvas says when a drag will be taken (the effect runs a frame after the button shows
    // pressed; a drag begun before that would orbit the camera instead)
    gl.domElement.dataset.mapAreaTool = 'armed';
    setStatus({
      level: 'info',
      message: `Drag a rectangle in the view for the radio map's area (at z = ${z} m; Esc cancels)`,
    });
    return () => {
      delete gl.domElement.dataset.mapAreaTool;
      window.removeEventListener('pointerdown', down, opts);
      window.removeEventListener('pointermove', move, opts);
      window.removeEventListener('pointerup', up, opts);
      window.removeEventListener('click', click, opts);
      window.removeEventListener('keydown', key, opts);
    };
  }, [active, z, camera, gl, invalidate]);

  const shown = rect
    ? ([
        Math.min(rect[0], rect[2]),
        Math.min(rect[1], rect[3]),
        Math.max(rect[0], rect[2]),
        Math.max(rect[1], rect[3]),
      ] as const)
    : bounds;
  const outline = useMemo(() => {
    if (!shown || z === undefined) return null;
    const [x0, y0, x1, y1] = shown;
    const g = new THREE.BufferGeometry().setFromPoints(
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
        [x0, y0],
      ].map(([x, y]) => new THREE.Vector3(x, y, z)),
    );
    const m = new THREE.LineBasicMaterial({
      color: rect ? '#ffd166' : '#f2f2f2',
      depthTest: false,
      transparent: true,
      opacity: 0.9,
    });
    const line = new THREE.Line(g, m);
    line.raycast = () => {};
    line.renderOrder = 10;
    return line;
  }, [shown, z, rect]);
  useEffect(
    () => () => {
      outline?.geometry.dispose();
      (outline?.material as THREE.Material | undefined)?.dispose();
    },
    [outline],
  );
  return outline ? <primitive object={outline} /> : null;
}
