import * as THREE from 'three';
import type { Scene } from '../../engine/scene/index.ts';
import { BACK, FRONT } from '../geometry/picking.ts';

/**
 * The scene as few GPU buffers as possible: one merged geometry per material (one draw call
 * each, instead of one mesh and one outline per object: a city of 563 objects drew 1,126 calls),
 * the edges of every face as one line set, and for X-ray the same per material split by which
 * sides stay opaque.
 */

function geometryOf(positions: Float32Array): THREE.BufferGeometry {
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(positions, 3));
  g.computeVertexNormals(); // non-indexed: the flat normal of each triangle (by its winding)
  g.computeBoundingSphere();
  return g;
}

/** Copy triangle t of the scene into `out` at triangle slot k, reversing its winding when `flip`. */
function putTriangle(scene: Scene, t: number, out: Float32Array, k: number, flip: boolean) {
  const p = scene.positions;
  const o = 9 * t;
  const order = flip ? [0, 2, 1] : [0, 1, 2];
  for (let v = 0; v < 3; v++) for (let c = 0; c < 3; c++) out[9 * k + 3 * v + c] = p[o + 3 * order[v]! + c]!;
}

/** Triangles of the visible objects grouped by the material each object uses now. */
function trianglesByMaterial(
  scene: Scene,
  objectMaterial: readonly string[],
  hidden: ReadonlySet<number>,
): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  scene.objects.forEach((o, i) => {
    if (hidden.has(i)) return;
    const id = objectMaterial[i] ?? o.materialId;
    let list = groups.get(id);
    if (!list) {
      list = [];
      groups.set(id, list);
    }
    for (let t = o.triangleOffset; t < o.triangleOffset + o.triangleCount; t++) list.push(t);
  });
  return groups;
}

/** One geometry per material: every visible triangle of every object that uses it. */
export function materialBatches(
  scene: Scene,
  objectMaterial: readonly string[],
  hidden: ReadonlySet<number>,
): { materialId: string; geometry: THREE.BufferGeometry }[] {
  return [...trianglesByMaterial(scene, objectMaterial, hidden)].map(([materialId, tris]) => {
    const out = new Float32Array(9 * tris.length);
    for (const [k, t] of tris.entries()) putTriangle(scene, t, out, k, false);
    return { materialId, geometry: geometryOf(out) };
  });
}

/** A material's triangles for X-ray, by which of their sides stay opaque. */
export interface XrayBatch {
  materialId: string;
  /** opaque on both sides */
  opaque: THREE.BufferGeometry | null;
  /** opaque on the front (winding) side only, see-through from behind */
  oneSided: THREE.BufferGeometry | null;
  /** see-through from both sides */
  clear: THREE.BufferGeometry | null;
}

/**
 * The material batches split for X-ray by `seeThrough` (per face: FRONT / BACK bits of the sides
 * X-ray sees through, relative to the face normal): a triangle see-through on one side only is
 * wound so that its opaque side is the front, whatever its winding in the file.
 */
export function xrayBatches(
  scene: Scene,
  objectMaterial: readonly string[],
  hidden: ReadonlySet<number>,
  seeThrough: Uint8Array,
): XrayBatch[] {
  const p = scene.positions;
  return [...trianglesByMaterial(scene, objectMaterial, hidden)].map(([materialId, tris]) => {
    const opaque: number[] = [];
    const oneSided: [number, boolean][] = [];
    const clear: number[] = [];
    for (const t of tris) {
      const face = scene.faces[scene.triangleFace[t]!]!;
      const sides = seeThrough[face.id] ?? 0;
      if (sides === 0) opaque.push(t);
      else if (sides === (FRONT | BACK)) clear.push(t);
      else {
        // winding normal of the triangle against the face normal: which face side is its front
        const o = 9 * t;
        const e1 = [p[o + 3]! - p[o]!, p[o + 4]! - p[o + 1]!, p[o + 5]! - p[o + 2]!];
        const e2 = [p[o + 6]! - p[o]!, p[o + 7]! - p[o + 1]!, p[o + 8]! - p[o + 2]!];
        const n = face.normal;
        const along =
          (e1[1]! * e2[2]! - e1[2]! * e2[1]!) * n[0] +
            (e1[2]! * e2[0]! - e1[0]! * e2[2]!) * n[1] +
            (e1[0]! * e2[1]! - e1[1]! * e2[0]!) * n[2] >=
          0;
        const frontSide = along ? FRONT : BACK;
        // the opaque side must be the front: flip when the see-through side is
        oneSided.push([t, (sides & frontSide) !== 0]);
      }
    }
    const build = (list: number[]) => {
      if (list.length === 0) return null;
      const out = new Float32Array(9 * list.length);
      for (const [k, t] of list.entries()) putTriangle(scene, t, out, k, false);
      return geometryOf(out);
    };
    let one: THREE.BufferGeometry | null = null;
    if (oneSided.length > 0) {
      const out = new Float32Array(9 * oneSided.length);
      for (const [k, [t, flip]] of oneSided.entries()) putTriangle(scene, t, out, k, flip);
      one = geometryOf(out);
    }
    return { materialId, opaque: build(opaque), oneSided: one, clear: build(clear) };
  });
}

/**
 * The outline of every face of the visible objects (edges of a face's triangles that no other
 * triangle of the same face shares; an edge between two faces is drawn once), as one line set.
 */
export function faceEdges(scene: Scene, hidden: ReadonlySet<number>): THREE.BufferGeometry {
  const p = scene.positions;
  const { min, max } = scene.bbox;
  const q = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2], 1e-9) * 1e-7;
  const key = (t: number, v: number) =>
    `${Math.round(p[9 * t + 3 * v]! / q)},${Math.round(p[9 * t + 3 * v + 1]! / q)},${Math.round(p[9 * t + 3 * v + 2]! / q)}`;
  const drawn = new Set<string>();
  const lines: number[] = [];
  for (const face of scene.faces) {
    if (hidden.has(face.objectIndex)) continue;
    const count = new Map<string, [number, number, number]>();
    for (const t of face.triangles) {
      for (const [a, b] of [
        [0, 1],
        [1, 2],
        [2, 0],
      ] as const) {
        const ka = key(t, a);
        const kb = key(t, b);
        const k = ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
        const c = count.get(k);
        if (c) c[0]++;
        else count.set(k, [1, t, a * 3 + b]);
      }
    }
    for (const [k, [n, t, ab]] of count) {
      const id = `${face.objectIndex}:${k}`;
      if (n !== 1 || drawn.has(id)) continue;
      drawn.add(id);
      const a = Math.floor(ab / 3);
      const b = ab % 3;
      for (const v of [a, b]) lines.push(p[9 * t + 3 * v]!, p[9 * t + 3 * v + 1]!, p[9 * t + 3 * v + 2]!);
    }
  }
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(new Float32Array(lines), 3));
  return g;
}

/** The triangles of one object (the selection highlight). */
export function objectGeometry(scene: Scene, objectIndex: number): THREE.BufferGeometry {
  const o = scene.objects[objectIndex]!;
  const out = new Float32Array(9 * o.triangleCount);
  for (let k = 0; k < o.triangleCount; k++) putTriangle(scene, o.triangleOffset + k, out, k, false);
  return geometryOf(out);
}
