import { storageBuffer } from '../../gpu/buffers.ts';
import type { GpuContext } from '../../gpu/device.ts';
import type { Scene } from '../../scene/types.ts';
import type { Bvh } from '../bvh.ts';

/**
 * The scene as the WGSL kernels see it (f32), packed from the shared flat BVH of bvh.ts:
 * - `nodes`: 2 vec4 per BVH node: (min.xyz, bitcast a), (max.xyz, bitcast b) with a, b as in
 *   bvh.ts (inner: children; leaf: first, −count). Bounds are widened by a few f32 ulps so
 *   that rounding never culls a box a float64 ray would enter.
 * - `triangles`: 3 vec4 per triangle in BVH leaf order: (v0, bitcast scene triangle),
 *   (e1 = v1 − v0, bitcast face), (e2 = v2 − v0, 0). Edges are differenced in float64 first.
 * - `faces`: 2 vec4 per face: (unit normal, offset), (bitcast first, bitcast count, 0, 0) into
 *   `faceTriangles`, the BVH-order slots of the face's triangles (point-in-face tests).
 */
export interface PackedScene {
  nodes: Float32Array;
  triangles: Float32Array;
  faces: Float32Array;
  faceTriangles: Uint32Array;
  /** metres; position tolerances of the f32 kernels scale with it */
  extent: number;
}

function bitsOf(i: number): number {
  const b = new Float32Array(1);
  new Int32Array(b.buffer)[0] = i;
  return b[0]!;
}

/** Round outwards to f32: the largest f32 ≤ x (down) or smallest ≥ x (up), plus one ulp margin. */
function f32Outward(x: number, up: boolean): number {
  const pad = Math.abs(x) * 2.5e-7 + 1e-30;
  return Math.fround(up ? x + pad : x - pad);
}

export function packScene(scene: Scene, bvh: Bvh): PackedScene {
  const nodeCount = bvh.nodes.length / 2;
  const nodes = new Float32Array(8 * nodeCount);
  const nodeInts = new Int32Array(nodes.buffer);
  for (let i = 0; i < nodeCount; i++) {
    for (let k = 0; k < 3; k++) {
      nodes[8 * i + k] = f32Outward(bvh.bounds[6 * i + k]!, false);
      nodes[8 * i + 4 + k] = f32Outward(bvh.bounds[6 * i + 3 + k]!, true);
    }
    nodeInts[8 * i + 3] = bvh.nodes[2 * i]!;
    nodeInts[8 * i + 7] = bvh.nodes[2 * i + 1]!;
  }
  const n = bvh.triangleOrder.length;
  const triangles = new Float32Array(12 * n);
  const triInts = new Int32Array(triangles.buffer);
  const slotOf = new Uint32Array(n);
  const p = scene.positions;
  for (let slot = 0; slot < n; slot++) {
    const t = bvh.triangleOrder[slot]!;
    slotOf[t] = slot;
    const o = 9 * t;
    for (let k = 0; k < 3; k++) {
      triangles[12 * slot + k] = p[o + k]!;
      triangles[12 * slot + 4 + k] = p[o + 3 + k]! - p[o + k]!;
      triangles[12 * slot + 8 + k] = p[o + 6 + k]! - p[o + k]!;
    }
    triInts[12 * slot + 3] = t;
    triInts[12 * slot + 7] = scene.triangleFace[t]!;
  }
  const faces = new Float32Array(8 * Math.max(1, scene.faces.length));
  const faceInts = new Int32Array(faces.buffer);
  const list: number[] = [];
  scene.faces.forEach((f, i) => {
    faces[8 * i] = f.normal[0];
    faces[8 * i + 1] = f.normal[1];
    faces[8 * i + 2] = f.normal[2];
    faces[8 * i + 3] = f.offset;
    faceInts[8 * i + 4] = list.length;
    faceInts[8 * i + 5] = f.triangles.length;
    for (const t of f.triangles) list.push(slotOf[t]!);
  });
  const { min, max } = scene.bbox;
  const extent = Math.max(1, Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]));
  return { nodes, triangles, faces, faceTriangles: Uint32Array.from(list.length ? list : [0]), extent };
}

/** The packed scene uploaded once; every kernel binds these at @binding(0…3). */
export interface SceneOnGpu {
  packed: PackedScene;
  nodes: GPUBuffer;
  triangles: GPUBuffer;
  faces: GPUBuffer;
  faceTriangles: GPUBuffer;
  destroy(): void;
}

export function uploadScene(ctx: GpuContext, scene: Scene, bvh: Bvh): SceneOnGpu {
  const packed = packScene(scene, bvh);
  const nodes = storageBuffer(ctx, packed.nodes, 'bvh nodes');
  const triangles = storageBuffer(ctx, packed.triangles, 'bvh triangles');
  const faces = storageBuffer(ctx, packed.faces, 'faces');
  const faceTriangles = storageBuffer(ctx, packed.faceTriangles, 'face triangles');
  return {
    packed,
    nodes,
    triangles,
    faces,
    faceTriangles,
    destroy() {
      for (const b of [nodes, triangles, faces, faceTriangles]) b.destroy();
    },
  };
}

export { bitsOf };
