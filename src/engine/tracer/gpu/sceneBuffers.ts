import { norm3 } from '../../core/norm.ts';
import { storageBuffer } from '../../gpu/buffers.ts';
import type { GpuContext } from '../../gpu/device.ts';
import type { Scene } from '../../scene/types.ts';
import type { Bvh } from '../bvh.ts';
import { tracerGeometry, tracerTolerances } from '../cpu/tracerGeometry.ts';

/**
 * The scene as the WGSL kernels see it (f32), packed from the shared flat BVH of bvh.ts:
 * - `nodes`: 2 vec4 per BVH node: (min.xyz, bitcast a), (max.xyz, bitcast b) with a, b as in
 *   bvh.ts (inner: children; leaf: first, −count). Bounds are widened by a few f32 ulps so
 *   that rounding never culls a box a float64 ray would enter.
 * - `triangles`: 3 vec4 per triangle in BVH leaf order: (v0, bitcast scene triangle),
 *   (e1 = v1 − v0, bitcast face), (e2 = v2 − v0, 0). Edges are differenced in float64 first.
 * - `faces`: 2 vec4 per face: (unit normal, offset), (bitcast first, bitcast count, bitcast plane
 *   group, 0) into `faceEdges`: per triangle of the face 3 vec4 (inward in-plane edge normal m,
 *   m·a, moved 2·tol inwards on open edges), the point-in-face test of cpu/tracerGeometry.ts
 *   (distances in metres). The plane group is the lowest index of the faces lying in exactly
 *   the same plane (double precision, either orientation: e.g. the two sides of a ground
 *   plate), tracerGeometry's faceGroup.
 */
export interface PackedScene {
  nodes: Float32Array;
  triangles: Float32Array;
  faces: Float32Array;
  faceEdges: Float32Array;
  /** bounding-box diagonal (m) */
  extent: number;
  /** largest |coordinate| (m): f32 rounding errors of positions scale with it */
  maxCoordinate: number;
  /** levels of the BVH (root = 1): the traversal stack needs at most depth + 1 entries */
  bvhDepth: number;
}

/** Levels of the flat BVH. */
function bvhDepth(bvh: Bvh): number {
  let deepest = 0;
  const stack: [number, number][] = [[0, 1]];
  while (stack.length > 0) {
    const [node, d] = stack.pop()!;
    deepest = Math.max(deepest, d);
    const b = bvh.nodes[2 * node + 1]!;
    if (b > 0) stack.push([bvh.nodes[2 * node]!, d + 1], [b, d + 1]);
  }
  return deepest;
}

/**
 * A kernel's WGSL with its array sizes fitted to the scene and the candidates: SwiftShader
 * zero-fills every private array at each invocation, so oversized stacks cost real time.
 */
export function kernelSource(code: string, packed: PackedScene, maxDepth = 12): string {
  return code
    .replace(/const STACK_SIZE: u32 = \d+u;/, `const STACK_SIZE: u32 = ${packed.bvhDepth + 2}u;`)
    .replace(/const MAX_DEPTH: u32 = \d+u;/, `const MAX_DEPTH: u32 = ${Math.max(1, maxDepth)}u;`);
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
  const p = scene.positions;
  for (let slot = 0; slot < n; slot++) {
    const t = bvh.triangleOrder[slot]!;
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
  const edges: number[] = [];
  const g = tracerGeometry(scene, bvh);
  const group = g.faceGroup;
  // the in-face test of insideFace (cpu/tracerGeometry.ts) with a single threshold: an open
  // edge's offset moves inwards by 2·tol, so that "≥ −tol" there means "≥ tol inside"
  const { tol } = tracerTolerances(g);
  const te = g.triEdges;
  scene.faces.forEach((f, i) => {
    faceInts[8 * i + 6] = group[i]!;
    faces[8 * i] = f.normal[0];
    faces[8 * i + 1] = f.normal[1];
    faces[8 * i + 2] = f.normal[2];
    faces[8 * i + 3] = f.offset;
    faceInts[8 * i + 4] = edges.length / 12;
    faceInts[8 * i + 5] = f.triangles.length;
    for (const t of f.triangles) {
      for (let e = 0; e < 3; e++) {
        const o = 12 * t + 4 * e;
        const shift = g.triOpenEdges[t]! & (1 << e) ? 2 * tol : 0;
        edges.push(te[o]!, te[o + 1]!, te[o + 2]!, te[o + 3]! + shift);
      }
    }
  });
  const { min, max } = scene.bbox;
  const extent = Math.max(1, norm3(max[0] - min[0], max[1] - min[1], max[2] - min[2]));
  const maxCoordinate = Math.max(1, ...min.map(Math.abs), ...max.map(Math.abs));
  return {
    nodes,
    triangles,
    faces,
    faceEdges: Float32Array.from(edges.length ? edges : [0, 0, 0, 0]),
    extent,
    maxCoordinate,
    bvhDepth: bvhDepth(bvh),
  };
}

/** The packed scene uploaded once; every kernel binds these at @binding(0…3). */
export interface SceneOnGpu {
  packed: PackedScene;
  nodes: GPUBuffer;
  triangles: GPUBuffer;
  faces: GPUBuffer;
  faceEdges: GPUBuffer;
  destroy(): void;
}

export function uploadScene(ctx: GpuContext, scene: Scene, bvh: Bvh): SceneOnGpu {
  const packed = packScene(scene, bvh);
  const nodes = storageBuffer(ctx, packed.nodes, 'bvh nodes');
  const triangles = storageBuffer(ctx, packed.triangles, 'bvh triangles');
  const faces = storageBuffer(ctx, packed.faces, 'faces');
  const faceEdges = storageBuffer(ctx, packed.faceEdges, 'face edges');
  return {
    packed,
    nodes,
    triangles,
    faces,
    faceEdges,
    destroy() {
      for (const b of [nodes, triangles, faces, faceEdges]) b.destroy();
    },
  };
}
