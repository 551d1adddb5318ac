import { describe, expect, it } from 'vitest';
import { slabCoefficients } from '../../test/oracles/slab.ts';
import { Channel } from '../channel/channel.ts';
import { channelSettings } from '../channel/settings.ts';
import { wavelength } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import { evaluatePaths } from '../field/evaluate.ts';
import { complexRelativePermittivity } from '../materials/permittivity.ts';
import { resolveSceneMaterials } from '../materials/radioMaterial.ts';
import { cuboid, quad, sceneFromMeshes } from '../tracer/cpu/testScenes.ts';
import type { PathGeometry } from '../tracer/path.ts';
import { findCoincidentFaces, MAX_LISTED_PAIRS } from './coincidentFaces.ts';
import type { Scene } from './types.ts';

/**
 * Coincident surfaces (docs/physics.md §4): a floor and the bottom of a building standing on it
 * lie in one plane. The scene warns, naming both objects, and every interaction where they
 * overlap takes the material of the smaller face (the building's), whichever of the two faces
 * the path search reports.
 */
const F = 28e9;
const floor = () => quad('floor', 'itu_concrete', [-50, -50, 0], [50, -50, 0], [50, 50, 0], [-50, 50, 0]);
const building = () => cuboid('building', 'itu_glass', [0, 0, 0], [10, 10, 10]);

const faceAt = (scene: Scene, object: string, z: number) =>
  scene.faces.findIndex(
    (f) =>
      scene.objects[f.objectIndex]!.name === object &&
      Math.abs(Math.abs(f.normal[2]) - 1) < 1e-12 &&
      Math.abs(f.offset * f.normal[2] - z) < 1e-9,
  );

/** The ground reflection a → (point on z = 0) → b as a path on face `face`. */
function groundPath(scene: Scene, face: number, a: Vec3, b: Vec3): PathGeometry {
  const t = a[2] / (a[2] + b[2]);
  const point: Vec3 = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, 0];
  return {
    kind: 'specular',
    interactions: [
      { type: 'reflection', objectIndex: scene.faces[face]!.objectIndex, faceIndex: face, point },
    ],
    length: 0,
  };
}

describe('coincident surfaces', () => {
  it('a floor and a building bottom in one plane: a warning naming both, the building takes precedence', () => {
    const scene = sceneFromMeshes('street', [floor(), building()]);
    expect(scene.warnings).toHaveLength(1);
    expect(scene.warnings[0]).toMatch(
      /objects 'floor' and 'building' have coincident surfaces.*take the material of 'building'/,
    );
    const floorFace = faceAt(scene, 'floor', 0);
    const bottom = faceAt(scene, 'building', 0);
    expect(scene.faces[floorFace]!.overlappedBy).toEqual([bottom]);
    expect(scene.faces[bottom]!.overlappedBy).toBeUndefined();
    // the order of the objects in the file does not matter: the smaller face wins
    const reversed = sceneFromMeshes('street', [building(), floor()]);
    expect(reversed.faces[faceAt(reversed, 'floor', 0)]!.overlappedBy).toEqual([
      faceAt(reversed, 'building', 0),
    ]);
  });

  it('many buildings on the ground: the first pairs named, the rest counted in one line', () => {
    const buildings = Array.from({ length: 40 }, (_, i) =>
      cuboid(`b${i}`, 'itu_glass', [-60 + 3 * i, 0, 0], [-59 + 3 * i, 1, 5]),
    );
    const scene = sceneFromMeshes('city', [
      quad('ground', 'itu_concrete', [-100, -100, 0], [100, -100, 0], [100, 100, 0], [-100, 100, 0]),
      ...buildings,
    ]);
    expect(scene.warnings).toHaveLength(MAX_LISTED_PAIRS + 1);
    expect(scene.warnings.at(-1)).toMatch(/^and 30 more pairs of objects have coincident surfaces/);
    // every bottom is recorded all the same (the ground quad is two triangles, one face)
    const ground = faceAt(scene, 'ground', 0);
    expect(scene.faces[ground]!.overlappedBy).toHaveLength(40);
  });

  it('no warning for coplanar slabs side by side, nor for a building 1 cm above the floor', () => {
    const side = sceneFromMeshes('side', [
      quad('a', 'itu_concrete', [0, 0, 0], [10, 0, 0], [10, 10, 0], [0, 10, 0]),
      quad('b', 'itu_marble', [10, 0, 0], [20, 0, 0], [20, 10, 0], [10, 10, 0]),
    ]);
    expect(side.warnings).toEqual([]);
    const above = sceneFromMeshes('above', [
      floor(),
      cuboid('building', 'itu_glass', [0, 0, 0.01], [10, 10, 10]),
    ]);
    expect(above.warnings).toEqual([]);
  });

  it('reflections where they overlap take the building material, elsewhere the floor’s (slab closed form)', () => {
    const scene = sceneFromMeshes('street', [floor(), building()]);
    const materials = resolveSceneMaterials(scene.materials, F);
    const floorFace = faceAt(scene, 'floor', 0);
    const bottom = faceAt(scene, 'building', 0);
    const lambda = wavelength(F);
    const expected = (material: string, a: Vec3, b: Vec3) => {
      const L = Math.hypot(b[0] - a[0], b[1] - a[1], a[2] + b[2]);
      const m = materials[material]!;
      const eta = complexRelativePermittivity(m.relativePermittivity, m.conductivity, F);
      // iso V over a horizontal surface: the ∥ coefficient
      const r = slabCoefficients(eta, (a[2] + b[2]) / L, m.thickness, F).reflection.par;
      return (lambda / (4 * Math.PI * L)) ** 2 * (r.re ** 2 + r.im ** 2);
    };
    const gain = (face: number, a: Vec3, b: Vec3) => {
      const [p] = evaluatePaths(scene, a, b, [groundPath(scene, face, a, b)], materials, { frequencyHz: F });
      return p!.a.re ** 2 + p!.a.im ** 2;
    };
    const inside: [Vec3, Vec3] = [
      [3, 3, 2],
      [7, 6, 1],
    ];
    const outside: [Vec3, Vec3] = [
      [-20, -20, 2],
      [-10, -25, 1.5],
    ];
    // inside the footprint: glass, whichever face the path names
    for (const face of [floorFace, bottom])
      expect(gain(face, ...inside) / expected('itu_glass', ...inside)).toBeCloseTo(1, 9);
    // outside: the floor's concrete (concrete and glass differ by several dB here)
    expect(gain(floorFace, ...outside) / expected('itu_concrete', ...outside)).toBeCloseTo(1, 9);
    expect(
      Math.abs(10 * Math.log10(expected('itu_glass', ...inside) / expected('itu_concrete', ...inside))),
    ).toBeGreaterThan(0.5);
  });

  it('through the channel: the ground reflection inside the building carries the glass coefficient', async () => {
    const scene = sceneFromMeshes('street', [floor(), building()]);
    const materials = resolveSceneMaterials(scene.materials, F);
    const channel = await Channel.open(
      scene,
      channelSettings({
        frequencyHz: F,
        maxDepth: 1,
        transmission: false,
        scattering: false,
        diffraction: false,
      }),
      { backend: 'cpu' },
    );
    const a: Vec3 = [3, 3, 2];
    const b: Vec3 = [7, 6, 1];
    const [l] = await channel.traceLinks([{ tx: a, rx: b }], materials);
    const ground = l!.paths.filter(
      (p) => p.interactions.length === 1 && Math.abs(p.interactions[0]!.point[2]) < 1e-9,
    );
    expect(ground).toHaveLength(1);
    const [reference] = evaluatePaths(
      scene,
      a,
      b,
      [groundPath(scene, faceAt(scene, 'building', 0), a, b)],
      materials,
      { frequencyHz: F },
    );
    expect(ground[0]!.a.re).toBeCloseTo(reference!.a.re, 15);
    expect(ground[0]!.a.im).toBeCloseTo(reference!.a.im, 15);
  });

  it('bounded on hostile input: the check stops at its pair budget and says so', () => {
    // 300 copies of one triangle in each of two objects: 90 000 candidate pairs
    const tri = (name: string) => ({
      name,
      materialId: 'itu_concrete',
      vertices: Array.from({ length: 300 }, () => [0, 0, 0, 1, 0, 0, 0, 1, 0]).flat(),
      indices: Array.from({ length: 900 }, (_, i) => i),
      file: `<${name}>`,
    });
    const scene = sceneFromMeshes('stack', [tri('a'), tri('b')]);
    const n = scene.triangleFace.length;
    const size = 1;
    const partial = findCoincidentFaces(scene.positions, scene.triangleFace, scene.faces, size, 1000);
    expect(partial.complete).toBe(false);
    const full = findCoincidentFaces(scene.positions, scene.triangleFace, scene.faces, size);
    expect(full.complete).toBe(true);
    expect(n).toBe(600);
    expect(full.pairs.length).toBeGreaterThan(0);
  });
});
