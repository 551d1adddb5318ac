import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../engine/core/index.ts';
import { nodeFileSource } from '../../engine/node/index.ts';
import { loadScene, type Scene } from '../../engine/scene/index.ts';
import { buildBvh, faceExteriorSides, faceInsideSides } from '../../engine/tracer/index.ts';
import { CLOSED_ROOM_PATH } from '../../test/paths.ts';
import { keptRange, type PickView, pickScene, xraySides } from './picking.ts';
import { MOUNT_CLEARANCE, placementFor, placementProblems } from './placement.ts';
import { sceneIndex } from './sceneIndex.ts';

// test/fixtures/rooms/closed-room: air x ∈ [−4, 4], y ∈ [−3, 3], z ∈ [0, 3]; 0.2 m slabs;
// table x ∈ [−1.5, 0.5], y ∈ [−0.5, 0.5], z ∈ [0, 0.75]; cabinet x ∈ [3, 3.8], y ∈ [1.5, 2.8], z ∈ [0, 2]
const scene: Scene = await loadScene(nodeFileSource, CLOSED_ROOM_PATH);
const index = sceneIndex(scene);
const bvh = buildBvh(scene);
const seeThrough = xraySides(faceExteriorSides(scene, bvh), faceInsideSides(scene, bvh, index.solid));
const view = (v: Partial<PickView> = {}): PickView => ({
  hidden: new Set(),
  cut: null,
  xray: false,
  seeThrough,
  ...v,
});
const unit = (v: Vec3): Vec3 => {
  const l = Math.hypot(...v);
  return [v[0] / l, v[1] / l, v[2] / l];
};
/** A camera ray from `eye` through world point `at`. */
const ray = (eye: Vec3, at: Vec3) => ({ o: eye, d: unit([at[0] - eye[0], at[1] - eye[1], at[2] - eye[2]]) });
const name = (i: number) => scene.objects[i]!.name;
const EYE: Vec3 = [6, -9, 12]; // outside, above the roof

describe('picking what the person sees', () => {
  it('from outside, the first surface is the roof (top of the ceiling slab)', () => {
    const { o, d } = ray(EYE, [2, 1, 0]);
    const p = pickScene(scene, index.bvh, o, d, view())!;
    expect(name(p.objectIndex)).toBe('ceiling');
    expect(p.point[2]).toBeCloseTo(3.2, 6); // PLY coordinates are float32
    expect(p.facingNormal).toEqual([0, 0, 1]);
  });

  it('with X-ray the shell seen from outside is passed through: the floor point is hit exactly', () => {
    const { o, d } = ray(EYE, [2, 1, 0]);
    const p = pickScene(scene, index.bvh, o, d, view({ xray: true }))!;
    expect(name(p.objectIndex)).toBe('floor');
    expect(p.point[0]).toBeCloseTo(2, 9);
    expect(p.point[1]).toBeCloseTo(1, 9);
    expect(p.point[2]).toBeCloseTo(0, 9);
  });

  it('with a ceiling cut at 2.5 m the ray starts below the cut and hits the floor', () => {
    const { o, d } = ray(EYE, [-2, -1, 0]);
    const p = pickScene(scene, index.bvh, o, d, view({ cut: { axis: 2, at: 2.5 } }))!;
    expect(name(p.objectIndex)).toBe('floor');
    expect(p.point[0]).toBeCloseTo(-2, 9);
    expect(p.point[1]).toBeCloseTo(-1, 9);
  });

  it('from inside, the ceiling is hit on its lower side (back faces count)', () => {
    const { o, d } = ray([0, 0, 1.5], [1, 0.5, 3]);
    const p = pickScene(scene, index.bvh, o, d, view())!;
    expect(name(p.objectIndex)).toBe('ceiling');
    expect(p.point[2]).toBeCloseTo(3, 9);
    expect(p.facingNormal).toEqual([0, 0, -1]);
  });

  it('a hidden table lets the click through to the floor', () => {
    const table = scene.objects.findIndex((o) => o.name === 'table');
    const { o, d } = ray([0, 0, 1.5], [-0.5, 0, 0]);
    expect(name(pickScene(scene, index.bvh, o, d, view())!.objectIndex)).toBe('table');
    expect(name(pickScene(scene, index.bvh, o, d, view({ hidden: new Set([table]) }))!.objectIndex)).toBe(
      'floor',
    );
  });

  it('keptRange: the part of a ray below a cut', () => {
    expect(keptRange([0, 0, 10], [0, 0, -1], { axis: 2, at: 2 })).toEqual([8, Infinity]);
    expect(keptRange([0, 0, 0], [0, 0, 1], { axis: 2, at: 2 })).toEqual([0, 2]);
    expect(keptRange([0, 0, 10], [0, 0, 1], { axis: 2, at: 2 })).toBeNull();
  });
});

describe('placement', () => {
  it('on the floor: the clicked x, y at the chosen height', () => {
    const { o, d } = ray(EYE, [2, 1, 0]);
    const pick = pickScene(scene, index.bvh, o, d, view({ xray: true }))!;
    const { position, note } = placementFor(scene, index, pick, 1.5);
    expect(position[0]).toBeCloseTo(2, 9);
    expect(position[1]).toBeCloseTo(1, 9);
    expect(position[2]).toBeCloseTo(1.5, 9);
    expect(note).toBe('');
    expect(placementProblems(scene, index, position)).toEqual([]);
  });

  it('on the table top with a height above the ceiling: below the ceiling, said so', () => {
    const { o, d } = ray([0, 0, 2.8], [0, 0.1, 0]);
    const pick = pickScene(scene, index.bvh, o, d, view())!;
    expect(name(pick.objectIndex)).toBe('table');
    const { position, note } = placementFor(scene, index, pick, 3);
    expect(position[2]).toBeCloseTo(3 - 0.05, 9);
    expect(note).toContain('ceiling is 2.25 m above');
  });

  it('on the ceiling from inside: mounted under it, inside the room', () => {
    const { o, d } = ray([0, 0, 1.5], [1, 0.5, 3]);
    const pick = pickScene(scene, index.bvh, o, d, view())!;
    const { position } = placementFor(scene, index, pick, 1.5);
    expect(position[2]).toBeCloseTo(3 - MOUNT_CLEARANCE, 9);
    expect(placementProblems(scene, index, position)).toEqual([]);
  });

  it('on the roof from outside: above it, flagged as outside the bounds', () => {
    const { o, d } = ray(EYE, [2, 1, 0]);
    const pick = pickScene(scene, index.bvh, o, d, view())!;
    const { position } = placementFor(scene, index, pick, 1.5);
    expect(position[2]).toBeCloseTo(4.7, 6);
    expect(placementProblems(scene, index, position)).toEqual([
      "outside the scene's bounds (z 1.50 m beyond the maximum)",
    ]);
  });

  it('positions inside the table or the cabinet are flagged with the object name', () => {
    expect(placementProblems(scene, index, [0, 0, 0.5])).toEqual(['inside table']);
    expect(placementProblems(scene, index, [3.5, 2, 1])).toEqual(['inside cabinet']);
    expect(placementProblems(scene, index, [-4.1, 0, 1])).toEqual(['inside wall_west']);
  });
});
