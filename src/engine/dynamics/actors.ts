import type { Vec3 } from '../core/vec3.ts';
import { ITU_MATERIAL_NAMES } from '../materials/itu.ts';
import { ituSpec, type SceneMaterial } from '../materials/radioMaterial.ts';
import { boxMesh, type SimpleMesh } from '../scene/primitives.ts';
import { absorberParameters } from './absorber.ts';
import { skinParameters } from './skin.ts';

/**
 * Actors: objects that move through a twin (people, vehicles, furniture, any mesh). Each has a
 * shape in its own frame (base centre at the origin, facing +x, z up) and a material; a pose
 * (position of the base centre, yaw about +z) places it in the world. docs/physics.md §15.
 */
export type ActorShape =
  /** the human proxy: an elliptic cylinder, `width` across the shoulders (local y), `depth` front to back (x) */
  | { kind: 'human'; width: number; depth: number; height: number }
  /** a box: length along the heading (x), width (y), height (z) */
  | { kind: 'box'; length: number; width: number; height: number }
  /** triangles from a file, in the actor's frame */
  | { kind: 'mesh'; vertices: readonly number[]; indices: readonly number[]; file: string };

/**
 * skin (Gabriel model, skin.ts), an ITU-R P.2040 material by name, or an absorber (absorber.ts:
 * the thin absorbing screen of blockage models)
 */
export type ActorMaterial =
  | { kind: 'skin' }
  | { kind: 'itu'; name: string; thickness: number }
  | { kind: 'absorber' };

export interface ActorSpec {
  id: string;
  shape: ActorShape;
  material: ActorMaterial;
}

export interface Pose {
  position: Vec3;
  /** heading about +z, radians (counter-clockwise from +x) */
  yaw: number;
}

/** Rigid-body velocity of an actor: of its base centre (m/s) and its yaw rate (rad/s). */
export interface Motion {
  velocity: Vec3;
  yawRate: number;
}

/** The human proxy's documented dimensions (m): VisRFTwin §4.6's body proxy, 3GPP 38.901 §7.6.4.2 (w = 0.3…0.45 m, h = 1.7 m). */
export const HUMAN_PROXY = { width: 0.45, depth: 0.25, height: 1.75 } as const;
/** sides of the faceted elliptic cylinder (each a planar face with UTD wedges between) */
export const HUMAN_SEGMENTS = 12;
/**
 * The built-in proxies stand this far above their position, so that a base on the floor is never
 * coplanar with it (coincident faces, scene/coincidentFaces.ts).
 */
export const BASE_CLEARANCE = 0.01;

export const humanShape = (): ActorShape => ({ kind: 'human', ...HUMAN_PROXY });

/** Triangles of a shape in the actor's frame. */
export function shapeMesh(shape: ActorShape): SimpleMesh {
  switch (shape.kind) {
    case 'human':
      return ellipticCylinder(
        shape.depth / 2,
        shape.width / 2,
        BASE_CLEARANCE,
        BASE_CLEARANCE + shape.height,
      );
    case 'box': {
      const l = shape.length / 2;
      const w = shape.width / 2;
      return boxMesh([-l, -w, BASE_CLEARANCE], [l, w, BASE_CLEARANCE + shape.height]);
    }
    case 'mesh':
      return { vertices: [...shape.vertices], indices: [...shape.indices] };
  }
}

/** A closed elliptic cylinder, semi-axes a (x) and b (y), z0…z1, outward normals. */
function ellipticCylinder(a: number, b: number, z0: number, z1: number): SimpleMesh {
  const n = HUMAN_SEGMENTS;
  const v: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    v.push(a * Math.cos(t), b * Math.sin(t), z0);
  }
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    v.push(a * Math.cos(t), b * Math.sin(t), z1);
  }
  v.push(0, 0, z0, 0, 0, z1);
  const bottom = 2 * n;
  const top = 2 * n + 1;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    // side quad i, j (bottom) – j, i (top), counter-clockwise seen from outside
    idx.push(i, j, n + j, i, n + j, n + i);
    idx.push(bottom, j, i); // bottom cap seen from below
    idx.push(top, n + i, n + j); // top cap seen from above
  }
  return { vertices: v, indices: idx };
}

/** World position of a point given in the actor's frame. */
export function toWorld(pose: Pose, p: Vec3): Vec3 {
  const c = Math.cos(pose.yaw);
  const s = Math.sin(pose.yaw);
  return [
    pose.position[0] + c * p[0] - s * p[1],
    pose.position[1] + s * p[0] + c * p[1],
    pose.position[2] + p[2],
  ];
}

/** Vertices of a mesh placed at a pose (xyz per vertex). */
export function placeVertices(mesh: SimpleMesh, pose: Pose): Float64Array {
  const out = new Float64Array(mesh.vertices.length);
  const c = Math.cos(pose.yaw);
  const s = Math.sin(pose.yaw);
  for (let i = 0; i < mesh.vertices.length; i += 3) {
    const x = mesh.vertices[i]!;
    const y = mesh.vertices[i + 1]!;
    out[i] = pose.position[0] + c * x - s * y;
    out[i + 1] = pose.position[1] + s * x + c * y;
    out[i + 2] = pose.position[2] + mesh.vertices[i + 2]!;
  }
  return out;
}

/** Velocity of a point p of a rigid actor: v + ω ẑ × (p − c). */
export function pointVelocity(pose: Pose, motion: Motion, p: Vec3): Vec3 {
  const rx = p[0] - pose.position[0];
  const ry = p[1] - pose.position[1];
  return [
    motion.velocity[0] - motion.yawRate * ry,
    motion.velocity[1] + motion.yawRate * rx,
    motion.velocity[2],
  ];
}

/** An actor material by name: skin, absorber, or an ITU material (a slab of `thickness` m). */
export function actorMaterialFromName(name: string, thickness = 0.1): ActorMaterial | undefined {
  if (name === 'skin') return { kind: 'skin' };
  if (name === 'absorber') return { kind: 'absorber' };
  if (ITU_MATERIAL_NAMES.includes(name)) return { kind: 'itu', name, thickness };
  return undefined;
}

/** Material id an actor's material gets in the frame's scene. */
export function actorMaterialId(m: ActorMaterial, shape: ActorShape): string {
  if (m.kind === 'itu') return `actor-itu-${m.name}-${m.thickness}`;
  if (m.kind === 'absorber') return 'actor-absorber';
  return `actor-skin-${skinDepth(shape)}`;
}

const skinDepth = (shape: ActorShape) => (shape.kind === 'human' ? shape.depth : HUMAN_PROXY.depth);

/** The scene material of an actor material at a frequency (skin: Gabriel at that frequency). */
export function actorSceneMaterial(m: ActorMaterial, shape: ActorShape, frequencyHz: number): SceneMaterial {
  const id = actorMaterialId(m, shape);
  if (m.kind === 'itu') return { id, spec: ituSpec(m.name, m.thickness), source: 'manual' };
  if (m.kind === 'absorber')
    return { id, spec: { kind: 'custom', ...absorberParameters(frequencyHz) }, source: 'manual' };
  return { id, spec: { kind: 'custom', ...skinParameters(frequencyHz, skinDepth(shape)) }, source: 'manual' };
}
