import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ituParameters } from '../../engine/materials/itu.ts';
import { nodeFileSource } from '../../engine/node/nodeFileSource.ts';
import { loadScene } from '../../engine/scene/load.ts';
import { loadClipEmbedder } from '../../engine/vision/clipEmbedder.ts';
import { loadViews } from '../../engine/vision/loadViews.ts';
import { namePriors, visionPriorsFile } from '../../engine/vision/priorsFile.ts';
import { estimateSurfacePriors } from '../../engine/vision/surfacePriors.ts';
import { REPO_ROOT } from '../../test/paths.ts';
import type { StudioMaterial } from '../store.ts';
import { materialsFromPriors } from './priorMaterials.ts';

/**
 * The studio's use of the priors: the demo twin's views through the engine's real pipeline with
 * the tiny CLIP model (as the browser worker runs it), then turned into studio materials.
 */
const frequencyHz = 28e9;
const demoTruth: Record<string, string> = {
  itu_brick: 'brick',
  itu_wood: 'wood',
  itu_concrete: 'concrete',
  itu_marble: 'marble',
  itu_chipboard: 'chipboard',
};

async function demo() {
  const scene = await loadScene(nodeFileSource, 'public/demo/room.xml');
  const current: Record<string, StudioMaterial> = Object.fromEntries(
    Object.entries(scene.materials).map(([id, m]) => [id, { ...m, confidence: 1, evidence: 'scene' }]),
  );
  return { scene, current };
}

describe('materialsFromPriors', () => {
  it('vision priors become materials with source vision, CLIP confidence and evidence; manual choices stay', async () => {
    const { scene, current } = await demo();
    const views = await loadViews(nodeFileSource, 'public/demo/views/transforms.json');
    const embedder = await loadClipEmbedder(join(REPO_ROOT, 'public', 'models', 'tiny-clip'));
    const result = await estimateSurfacePriors(scene, views, embedder, { frequencyHz });
    await embedder.dispose();
    const file = visionPriorsFile(scene, result, { frequencyHz });
    // the person set the wood box by hand before dropping the views
    current.itu_wood = { ...current.itu_wood!, source: 'manual', evidence: 'set by hand' };
    const { materials, kept, applied } = materialsFromPriors(current, {
      source: 'vision',
      model: 'public/models/tiny-clip',
      device: embedder.device,
      views: views.length,
      file,
      elapsedMs: 0,
    });
    expect(kept).toEqual(['itu_wood']);
    expect(materials.itu_wood).toBe(current.itu_wood);
    expect(applied.sort()).toEqual(
      Object.keys(demoTruth)
        .filter((id) => id !== 'itu_wood')
        .sort(),
    );
    for (const id of applied) {
      const m = materials[id]!;
      const ev = file.material_evidence[id]!;
      expect(m.source).toBe('vision');
      expect(m.spec).toMatchObject({ kind: 'itu', ituName: demoTruth[id] });
      expect(m.confidence).toBe(ev.confidence);
      expect(m.confidence).toBeGreaterThan(0);
      expect(m.confidence).toBeLessThanOrEqual(1);
      expect(m.evidence).toContain(`${demoTruth[id]} ${Math.round(100 * Number(ev.confidence))} %`);
      // S from the roughness match, ε′r from the label's ITU material at 28 GHz
      if (m.spec.kind !== 'itu') throw new Error('expected an ITU spec');
      expect(m.spec.scatteringCoefficient).toBe(file.materials[id]!.scattering_coefficient);
      expect(file.materials[id]!.relative_permittivity).toBeCloseTo(
        ituParameters(demoTruth[id]!, frequencyHz).relativePermittivity,
        4,
      );
    }
    // the input is not mutated: the twin's materials change only when the store takes the result
    expect(current.itu_brick!.source).toBe('scene');

    // translator priors: the learned values, not the label's ITU ones, become the material
    const translated = structuredClone(file);
    translated.source = 'translator';
    translated.translator = 'translator.json';
    translated.material_evidence.itu_brick = {
      ...translated.material_evidence.itu_brick,
      source: 'translator',
      translated: ['conductivity', 'relative_permittivity'],
      label_values: { conductivity: 0.0406, relative_permittivity: 3.91 },
    };
    translated.materials.itu_brick = {
      ...translated.materials.itu_brick!,
      conductivity: 0.123,
      relative_permittivity: 4.2,
    };
    const t = materialsFromPriors(current, {
      source: 'vision',
      model: 'public/models/tiny-clip',
      views: views.length,
      file: translated,
      elapsedMs: 0,
    });
    expect(t.materials.itu_brick).toMatchObject({
      source: 'translator',
      spec: { kind: 'custom', conductivity: 0.123, relativePermittivity: 4.2 },
    });
    expect(t.materials.itu_brick!.evidence).toMatch(
      /^translator translator\.json: conductivity 0\.123 \(label 0\.0406\), relative_permittivity 4\.2 \(label 3\.91\); CLIP /,
    );
    expect(t.materials.itu_concrete!.spec).toMatchObject({ kind: 'itu', ituName: 'concrete' });
  });

  it('name-based priors (model unavailable) carry no confidence and say where the name came from', async () => {
    const { scene, current } = await demo();
    const file = namePriors(scene, { frequencyHz });
    const { materials, applied, kept } = materialsFromPriors(current, {
      source: 'name',
      model: 'Xenova/clip-vit-base-patch32',
      unavailable: 'offline?',
      views: 8,
      file,
      elapsedMs: 0,
    });
    expect(kept).toEqual([]);
    expect(applied.sort()).toEqual(Object.keys(demoTruth).sort());
    for (const [id, label] of Object.entries(demoTruth)) {
      expect(materials[id]!.source).toBe('name');
      expect(materials[id]!.confidence).toBeUndefined();
      expect(materials[id]!.spec).toMatchObject({ kind: 'itu', ituName: label });
      expect(materials[id]!.evidence).toContain('scene ITU material');
      expect(materials[id]!.evidence).toContain('CLIP unavailable');
    }
  });
});
