import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/paths.ts';
import { type ClipEmbedder, loadClipEmbedder } from './clipEmbedder.ts';
import { visionPriorsFile } from './priorsFile.ts';
import { estimateSurfacePriors, type SurfacePriorsResult } from './surfacePriors.ts';
import { LAYOUT_A, renderRoomViews, roomCameras, roomObjects, roomScene } from './syntheticRoom.ts';

/**
 * End to end on a synthetic room: class-textured walls, floor and boxes (ground truth known),
 * eight ray-cast views, the tiny CLIP-architecture model generated afresh by
 * scripts/make-tiny-clip.ts into a temporary folder and loaded through transformers.js from
 * there; the real projection → depth test → crops → embeddings → averaging → matching pipeline.
 */
const COMMITTED_MODEL = join(REPO_ROOT, 'public', 'models', 'tiny-clip');
const MODEL_DIR = mkdtempSync(join(tmpdir(), 'tiny-clip-'));

const listFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort();

describe('vision priors pipeline with the tiny CLIP model', () => {
  const objects = roomObjects(LAYOUT_A);
  const scene = roomScene('twinA', objects);
  const cameras = roomCameras(LAYOUT_A.half, 8, 200, 150, 150);
  let embedder: ClipEmbedder;
  let result: SurfacePriorsResult;
  const progress: string[] = [];

  beforeAll(async () => {
    const gen = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'run-ts.mjs'), join(REPO_ROOT, 'scripts', 'make-tiny-clip.ts'), MODEL_DIR],
      {
        encoding: 'utf8',
      },
    );
    if (gen.status !== 0) throw new Error(`make-tiny-clip failed: ${gen.stderr}`);
    embedder = await loadClipEmbedder(MODEL_DIR, { allowRemote: false });
    const views = renderRoomViews(scene, objects, cameras, 1);
    result = await estimateSurfacePriors(scene, views, embedder, {
      maxCropsPerPatch: 12,
      onProgress: (m) => progress.push(m),
    });
    await embedder.dispose();
  });

  it('the committed public/models/tiny-clip is exactly what scripts/make-tiny-clip.ts generates', () => {
    const files = listFiles(MODEL_DIR);
    expect(files).toEqual(
      expect.arrayContaining([
        'config.json',
        'preprocessor_config.json',
        'tokenizer.json',
        'onnx/text_model.onnx',
        'onnx/vision_model.onnx',
      ]),
    );
    expect(listFiles(COMMITTED_MODEL)).toEqual(files);
    for (const f of files)
      expect(readFileSync(join(COMMITTED_MODEL, f)).equals(readFileSync(join(MODEL_DIR, f))), f).toBe(true);
  });

  it('uses a synthetic scene with at least 8 textured surfaces and 6 views', () => {
    expect(new Set(objects.map((o) => o.cls)).size).toBeGreaterThanOrEqual(8);
    expect(objects.length).toBeGreaterThanOrEqual(8);
    expect(cameras.length).toBeGreaterThanOrEqual(6);
    expect(progress.some((m) => m.includes('embedding'))).toBe(true);
    expect(embedder.modelId).toBe(MODEL_DIR);
  });

  it('labels at least 95 % of the visible objects with their true class', () => {
    const visible = objects.map((o, i) => ({ o, e: result.objects[i] })).filter(({ e }) => e !== undefined);
    // everything except the sealed plate is in view somewhere
    expect(visible.length).toBe(objects.length - 1);
    const correct = visible.filter(({ o, e }) => e!.label === o.cls);
    const wrong = visible.filter(({ o, e }) => e!.label !== o.cls).map(({ o, e }) => `${o.name}→${e!.label}`);
    expect(correct.length / visible.length, `wrong: ${wrong.join(', ')}`).toBeGreaterThanOrEqual(0.95);
    for (const { e } of visible) {
      expect(e!.viewsUsed.length).toBeGreaterThan(0);
      expect(e!.top3).toHaveLength(3);
      expect(e!.top3[0]!.score).toBeGreaterThanOrEqual(e!.top3[1]!.score);
    }
  });

  it('labels at least 95 % of the seen patches with their object class', () => {
    const seen = result.patches.filter((p) => p.status === 'seen');
    expect(seen.length).toBeGreaterThan(20);
    const correct = seen.filter((p) => p.evidence!.label === objects[p.patch.objectIndex]!.cls);
    expect(correct.length / seen.length).toBeGreaterThanOrEqual(0.95);
  });

  it('reports the surface hidden from every view as unseen instead of guessing', () => {
    const hidden = objects.findIndex((o) => o.name.startsWith('hidden_'));
    expect(hidden).toBeGreaterThanOrEqual(0);
    expect(result.objects[hidden]).toBeUndefined();
    const patches = result.patches.filter((p) => p.patch.objectIndex === hidden);
    expect(patches.length).toBeGreaterThan(0);
    for (const p of patches) {
      expect(p.status).toBe('unseen');
      expect(p.evidence).toBeUndefined();
    }
    const file = visionPriorsFile(scene, result, { frequencyHz: 28e9 });
    expect(file.objects[objects[hidden]!.name]).toMatchObject({ status: 'unseen', label: 'unseen' });
    expect(file.source).toBe('vision');
  });

  it('writes radio parameters of the recognised ITU material for seen materials', () => {
    const file = visionPriorsFile(scene, result, { frequencyHz: 28e9 });
    // brick wall → ITU brick: ε'r = 3.91 at any frequency (P.2040 Table 3)
    expect(file.materials.mat_brick!.itu_name).toBe('brick');
    expect(file.materials.mat_brick!.relative_permittivity).toBeCloseTo(3.91, 6);
    expect(file.material_evidence.mat_brick).toMatchObject({ source: 'vision', label: 'brick' });
  });
});
