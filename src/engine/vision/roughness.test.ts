import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH, REPO_ROOT } from '../../test/paths.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import type { Scene } from '../scene/types.ts';
import { buildBvh } from '../tracer/bvh.ts';
import { CLASS_ROUGHNESS, classAlbedo, reliefAt } from './classTextures.ts';
import { type ClipEmbedder, loadClipEmbedder } from './clipEmbedder.ts';
import { loadViews } from './loadViews.ts';
import { surfacePatches } from './patches.ts';
import { type PriorsFile, visionPriorsFile } from './priorsFile.ts';
import { renderClassView, surfaceAxes, surfaceShade } from './rayRender.ts';
import { roughnessFromTexture, roughnessPrior, TEXTURE_THRESHOLDS, textureContrast } from './roughness.ts';
import { estimateSurfacePriors, type ViewImage } from './surfacePriors.ts';
import {
  LAYOUT_A,
  type RoomLayout,
  renderRoomViews,
  roomCameras,
  roomObjects,
  roomScene,
} from './syntheticRoom.ts';
import { pointVisibility } from './visibility.ts';
import { ROUGHNESS_CLASSES, type RoughnessLabel } from './vocabulary.ts';

/**
 * Roughness → scattering coefficient (paper 000 Table 2, docs/physics.md §7): the estimator's
 * arithmetic, its measurement at a scale known from the camera geometry, and the S priors the
 * vision pipeline gives surfaces rendered with known roughness (the renders' relief model,
 * classTextures.ts RELIEF), on synthetic rooms and on the demo twin's committed views.
 */
const range = (label: RoughnessLabel) => ROUGHNESS_CLASSES.find((c) => c.label === label)!.scatteringRange;

describe('roughnessPrior: S and its std from class probabilities', () => {
  it('a sure class gives its range centre and the std of a uniform distribution over the range', () => {
    for (const [k, c] of ROUGHNESS_CLASSES.entries()) {
      const p = [0, 0, 0];
      p[k] = 1;
      const r = roughnessPrior(p, 'clip');
      const [lo, hi] = c.scatteringRange;
      expect(r.label).toBe(c.label);
      expect(r.scatteringCoefficient).toBeCloseTo((lo + hi) / 2, 12);
      expect(r.scatteringStd).toBeCloseTo((hi - lo) / Math.sqrt(12), 12);
    }
  });

  it('an unsure choice keeps the most probable class and widens the std by the others', () => {
    // smooth 0.6, rough 0.4: S stays at the smooth centre 0.085; the mixture's second moment about it
    const r = roughnessPrior([0.6, 0, 0.4], 'clip');
    expect(r.label).toBe('smooth');
    expect(r.scatteringCoefficient).toBeCloseTo(0.085, 12);
    const expected = Math.sqrt(0.6 * (0.03 ** 2 / 12) + 0.4 * ((0.4 - 0.085) ** 2 + 0.2 ** 2 / 12));
    expect(r.scatteringStd).toBeCloseTo(expected, 12);
    expect(r.scatteringStd).toBeGreaterThan(0.19);
  });

  it('texture contrasts place the surface against the thresholds, with the median’s standard error', () => {
    // ten windows at 10 %: log-median ln 0.1, spread 0 → the 0.15 floor; P(rough) = Φ(ln(0.1/0.067)/0.15)
    const r = roughnessFromTexture(new Array(10).fill(0.1))!;
    expect(r.source).toBe('texture');
    expect(r.label).toBe('rough');
    expect(r.textureContrast).toBeCloseTo(0.1, 12);
    expect(r.windows).toBe(10);
    expect(Math.log(0.1 / TEXTURE_THRESHOLDS.roughAbove) / 0.15).toBeCloseTo(2.6696, 3);
    // Φ(2.6696) = 0.99620 (normal table)
    expect(r.probabilities[2]!.probability).toBeCloseTo(0.9962, 4);
    // 1 % lies 6.4 standard errors below the smooth threshold (2.6 %)
    expect(roughnessFromTexture(new Array(10).fill(0.01))!.label).toBe('smooth');
    // too few windows: the texture does not decide
    expect(roughnessFromTexture([0.1, 0.1])).toBeUndefined();
  });
});

/** Every texture window the views measure on each object, as the pipeline measures them. */
function objectContrasts(scene: Scene, views: ViewImage[]): number[][] {
  const bvh = buildBvh(scene);
  const out: number[][] = scene.objects.map(() => []);
  for (const patch of surfacePatches(scene)) {
    for (const view of views) {
      for (const point of patch.points) {
        const seen = pointVisibility(scene, bvh, view.camera, point, patch.faceId);
        const t = textureContrast(scene, bvh, view.camera, view.image, point, patch.faceId, seen);
        if (t !== undefined) out[patch.objectIndex]!.push(t);
      }
    }
  }
  return out;
}

describe('texture contrast at a scale known from the camera geometry', () => {
  // one albedo (painted plasterboard) on every wall; only the relief differs
  const layout: RoomLayout = {
    half: 4,
    height: 3,
    walls: { south: 'plasterboard', north: 'plasterboard', west: 'plasterboard', east: 'plasterboard' },
    floor: 'plasterboard',
    boxes: [],
  };
  const relief: Record<string, RoughnessLabel> = {
    floor: 'smooth',
    wall_south: 'rough',
    wall_north: 'slightly rough',
    wall_west: 'smooth',
    wall_east: 'rough',
  };
  const objects = roomObjects(layout);
  const scene = roomScene('relief', objects);
  let contrasts: number[][];

  beforeAll(() => {
    const bvh = buildBvh(scene);
    const views = roomCameras(layout.half, 6, 320, 240, 251).map((camera, k) => ({
      name: `view_${k}`,
      camera,
      image: renderClassView(
        scene,
        bvh,
        camera,
        objects.map((o) => o.cls),
        { supersample: 2, roughnessOfObject: objects.map((o) => relief[o.name]) },
      ),
    }));
    contrasts = objectContrasts(scene, views);
  });

  it('recovers the relief each wall was rendered with, whatever the distance of the views', () => {
    for (const [oi, o] of objects.entries()) {
      const r = roughnessFromTexture(contrasts[oi]!);
      expect(r, o.name).toBeDefined();
      expect(r!.label, `${o.name}: contrast ${r!.textureContrast}`).toBe(relief[o.name]);
      const [lo, hi] = range(relief[o.name]!);
      expect(r!.scatteringCoefficient).toBeGreaterThanOrEqual(lo);
      expect(r!.scatteringCoefficient).toBeLessThanOrEqual(hi);
    }
  });

  it('measures through the camera what the surface itself shows at 4 cm cells', () => {
    // the statistic computed on the surface directly (cell means of the shaded albedo, no image):
    // the image measurement sees the same cells, blurred only by the pixels
    const wall = objects.findIndex((o) => o.name === 'wall_south');
    const n = scene.faces[scene.objects[wall]!.faceIds[0]!]!.normal;
    const axes = surfaceAxes(n);
    const cellMeans = (u0: number, v0: number) => {
      const m: number[] = [];
      for (let j = 0; j < 8; j++)
        for (let i = 0; i < 8; i++) {
          let s = 0;
          for (let b = 0; b < 4; b++)
            for (let a = 0; a < 4; a++) {
              const u = u0 + (i + (a + 0.5) / 4) * 0.04;
              const v = v0 + (j + (b + 0.5) / 4) * 0.04;
              const c = classAlbedo('plasterboard', u, v);
              const L = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
              s += L * surfaceShade(n, axes, reliefAt('rough', u, v));
            }
          m.push(s / 16);
        }
      return m;
    };
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const onSurface = Array.from({ length: 25 }, (_, k) => {
      const m = cellMeans(-3 + 0.23 * k, 0.4 + 0.07 * k);
      const c = med(m);
      return (1.4826 * med(m.map((x) => Math.abs(x - c)))) / c;
    });
    const truth = med(onSurface);
    const measured = med(contrasts[wall]!);
    expect(contrasts[wall]!.length).toBeGreaterThan(10);
    // measured: 0.097 through six views at 2–7 m against 0.104 on the surface (pixel blur)
    expect(measured / truth).toBeGreaterThan(0.8);
    expect(measured / truth).toBeLessThan(1.05);
  });
});

describe('S priors of surfaces rendered with known roughness', () => {
  let embedder: ClipEmbedder;
  beforeAll(async () => {
    embedder = await loadClipEmbedder(join(REPO_ROOT, 'public', 'models', 'tiny-clip'), {
      allowRemote: false,
    });
  });

  const check = (file: PriorsFile, id: string, label: RoughnessLabel) => {
    const [lo, hi] = range(label);
    const m = file.materials[id]!;
    const ev = file.material_evidence[id]!.roughness as { label: string; source: string };
    expect(ev.label, id).toBe(label);
    expect(ev.source, id).toBe('texture');
    expect(m.scattering_coefficient, id).toBeGreaterThanOrEqual(lo);
    expect(m.scattering_coefficient, id).toBeLessThanOrEqual(hi);
    expect(m.scattering_coefficient_std, id).toBeGreaterThan(0);
    return m.scattering_coefficient;
  };

  it('synthetic room: every class gets the S range of its roughness (brick, concrete 0.3–0.5; glass, marble ≤ 0.1)', async () => {
    const objects = roomObjects(LAYOUT_A);
    const scene = roomScene('twinA', objects);
    const views = renderRoomViews(scene, objects, roomCameras(LAYOUT_A.half, 6, 320, 240, 251), 1);
    const result = await estimateSurfacePriors(scene, views, embedder, { frequencyHz: 28e9 });
    const file = visionPriorsFile(scene, result, { frequencyHz: 28e9 });
    const S: Record<string, number> = {};
    for (const cls of new Set(objects.filter((o) => !o.name.startsWith('hidden')).map((o) => o.cls)))
      S[cls] = check(file, `mat_${cls}`, CLASS_ROUGHNESS[cls]!);
    process.stderr.write(`S priors, synthetic room: ${JSON.stringify(S)}\n`);
    expect(S.brick).toBeGreaterThanOrEqual(0.3);
    expect(S.concrete).toBeGreaterThanOrEqual(0.3);
    expect(S.glass).toBeLessThanOrEqual(0.1);
    expect(S.marble).toBeLessThanOrEqual(0.1);
  });

  it('demo twin views: brick walls and floor, concrete 0.3–0.5; marble ≤ 0.1; wood, chipboard 0.1–0.2', async () => {
    const scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
    const views = await loadViews(
      nodeFileSource,
      join(REPO_ROOT, 'public', 'demo', 'views', 'transforms.json'),
    );
    const result = await estimateSurfacePriors(scene, views, embedder, { frequencyHz: 28e9 });
    const file = visionPriorsFile(scene, result, { frequencyHz: 28e9 });
    const S = {
      brick: check(file, 'itu_brick', 'rough'),
      concrete: check(file, 'itu_concrete', 'rough'),
      marble: check(file, 'itu_marble', 'smooth'),
      wood: check(file, 'itu_wood', 'slightly rough'),
      chipboard: check(file, 'itu_chipboard', 'slightly rough'),
    };
    process.stderr.write(`S priors, demo views: ${JSON.stringify(S)}\n`);
    // each brick object (floor and four walls) on its own, too
    for (const name of ['floor', 'wall_south', 'wall_north', 'wall_west', 'wall_east']) {
      const o = file.objects[name] as { scattering_coefficient: number };
      expect(o.scattering_coefficient, name).toBe(0.4);
    }
  });
});
