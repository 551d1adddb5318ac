import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import type { PriorsFile } from './priorsFile.ts';
import { fitTranslator, parseTranslatorJson } from './transfer.ts';
import { applyTranslator, calibratedTwinSamples } from './translatorPriors.ts';

/**
 * Reading a calibrated twin's files into translator samples (what `rftwin translator` does),
 * on small hand-written files: which objects become samples, with which values, and the errors.
 */
const priors = JSON.stringify({
  format: 'rftwin-priors/1',
  model: 'tiny',
  objects: {
    wall: {
      material_id: 'm_brick',
      status: 'seen',
      embedding: [1, 0, 0],
      patches: [{ embedding: [0.9, 0.1, 0] }, { status: 'unseen' }],
    },
    box: { material_id: 'm_metal', status: 'seen', embedding: [0, 1, 0], patches: [] },
    door: { material_id: 'm_wood', status: 'seen', embedding: [0, 0, 1] },
    plate: { material_id: 'm_metal', status: 'unseen' },
  },
});
const materialScope = JSON.stringify({
  scope: 'material',
  materials: {
    m_brick: { conductivity: 0.03, conductivity_std: 0.001, relative_permittivity: 3.9 },
    m_metal: { conductivity: 3e4, conductivity_std: 1e9, conductivity_identifiable: false },
    m_wood: { conductivity: 0.2, conductivity_std: 0.01 },
  },
});

describe('calibratedTwinSamples', () => {
  it('per material: seen objects with identifiable calibrated values, with their patches', () => {
    const t = calibratedTwinSamples(priors, 'p.json', materialScope, 'c.json');
    // only σ carries a _std: ε'r was not calibrated, so it is not learned
    expect(t.parameters).toEqual(['conductivity']);
    expect(t.used).toEqual(['wall', 'door']);
    expect(t.skipped).toEqual(["box: conductivity of 'm_metal' not identifiable"]);
    expect(t.model).toBe('tiny');
    // wall + its one seen patch + door
    expect(t.samples.map((s) => [Array.from(s.embedding), s.values])).toEqual([
      [[1, 0, 0], { conductivity: 0.03 }],
      [[0.9, 0.1, 0].map((x) => Math.fround(x)), { conductivity: 0.03 }],
      [[0, 0, 1], { conductivity: 0.2 }],
    ]);
  });

  it('per object (calibrate --per-object): objects are matched by name', () => {
    const cal = JSON.stringify({
      scope: 'object',
      materials: {
        wall: { conductivity: 0.05, conductivity_std: 0.002 },
        door: { conductivity: 0.1, conductivity_std: 0.002 },
      },
    });
    const t = calibratedTwinSamples(priors, 'p.json', cal, 'c.json');
    expect(t.used).toEqual(['wall', 'door']);
    expect(t.skipped).toEqual(["box: no calibrated object 'box' in c.json"]);
    expect(t.samples.at(-1)!.values).toEqual({ conductivity: 0.1 });
  });

  it('reports files of the wrong kind, naming the file and what was expected', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(err(() => calibratedTwinSamples('{"format": "x"}', 'p.json', materialScope, 'c.json'))).toBe(
      'p.json: format: expected "rftwin-priors/1" (a file written by rftwin priors), got "x"',
    );
    expect(
      err(() =>
        calibratedTwinSamples(priors, 'p.json', '{"materials": {"m_brick": {"conductivity": 1}}}', 'c.json'),
      ),
    ).toContain('c.json: materials: no calibrated parameter in it');
    const badEmbedding = priors.replace('"embedding":[0,0,1]', '"embedding":[0,1]');
    expect(err(() => calibratedTwinSamples(badEmbedding, 'p.json', materialScope, 'c.json'))).toBe(
      'p.json: objects.door.embedding: embedding has 2 numbers, the others 3',
    );
    expect(err(() => calibratedTwinSamples('not json', 'p.json', materialScope, 'c.json'))).toMatch(
      /^p\.json: JSON: not valid JSON/,
    );
  });
});

describe('parseTranslatorJson', () => {
  const good = {
    format: 'rftwin-translator/1',
    parameters: ['conductivity'],
    inputSize: 2,
    hidden: 3,
    inputMean: [0, 0],
    inputStd: [1, 1],
    targetMean: [0],
    targetStd: [1],
    weights: [
      { shape: [2, 3], values: [1, 2, 3, 4, 5, 6] },
      { shape: [3], values: [0, 0, 0] },
      { shape: [3, 1], values: [1, 1, 1] },
      { shape: [1], values: [0] },
    ],
    samples: 4,
    finalLoss: 0.01,
  };
  const problem = (t: unknown) => {
    try {
      parseTranslatorJson(JSON.stringify(t), 't.json');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    return 'accepted';
  };

  it('accepts a consistent translator and names the first inconsistency of a broken one', () => {
    expect(problem(good)).toBe('accepted');
    expect(problem({ ...good, parameters: ['thickness'] })).toContain(
      't.json: parameters: expected a non-empty list',
    );
    expect(problem({ ...good, inputStd: [1, 0] })).toBe(
      't.json: inputStd[1]: expected a positive number, got 0',
    );
    expect(problem({ ...good, inputMean: [0] })).toBe('t.json: inputMean: expected 2 numbers, got 1 entries');
    expect(
      problem({
        ...good,
        weights: [
          good.weights[0],
          good.weights[1],
          { shape: [3, 2], values: [1, 1, 1, 1, 1, 1] },
          good.weights[3],
        ],
      }),
    ).toBe(
      't.json: weights[2].shape: expected [3, 1] for a 2-d embedding, 3 hidden units and 1 outputs, got [3,2]',
    );
    expect(problem({ ...good, weights: [{ shape: [2, 3], values: [1, 2] }, ...good.weights.slice(1)] })).toBe(
      't.json: weights[0].values: expected 6 finite numbers',
    );
  });
});

describe('applyTranslator: only where the translator has learned', () => {
  const unit = (...v: number[]) => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  // two calibrated materials, around the first and the second axis
  const samples = [
    { embedding: Float32Array.from(unit(1, 0.05, 0, 0)), values: { conductivity: 0.5 }, group: 'm_a' },
    { embedding: Float32Array.from(unit(1, -0.05, 0, 0)), values: { conductivity: 0.5 }, group: 'm_a' },
    { embedding: Float32Array.from(unit(0.05, 1, 0, 0)), values: { conductivity: 2 }, group: 'm_b' },
    { embedding: Float32Array.from(unit(-0.05, 1, 0, 0)), values: { conductivity: 2 }, group: 'm_b' },
  ];
  const material = (conductivity: number) => ({
    relative_permittivity: 4,
    conductivity,
    scattering_coefficient: 0.4,
    scattering_coefficient_std: 0.058,
    thickness: 0.1,
    itu_name: 'brick',
  });
  const seen = (id: string, e: number[]) => ({
    material_id: id,
    status: 'seen',
    embedding: e,
    patches: [{ status: 'seen', area_m2: 1, embedding: e }],
  });
  const priors: PriorsFile = {
    format: 'rftwin-priors/1',
    scene: 'room',
    frequency_hz: 28e9,
    itu_edition: 'x',
    source: 'vision',
    model: 'tiny',
    materials: { like_a: material(0.03), unlike: material(0.03) },
    material_evidence: {
      like_a: { source: 'vision', label: 'brick' },
      unlike: { source: 'vision', label: 'brick' },
    },
    objects: { wall: seen('like_a', unit(1, 0.02, 0, 0)), door: seen('unlike', unit(0, 0, 1, 0)) },
    warnings: [],
  };

  it('sets the learned value where an anchor is near, keeps the label where none is, and says why', async () => {
    const translator = await fitTranslator(samples, { epochs: 300, model: 'tiny' });
    expect(translator.anchors!.map((a) => a.label)).toEqual(['m_a', 'm_b']);
    // each anchor's own samples lie at cosine 1/√(1 + 0.05²) = 0.99875 from it
    for (const a of translator.anchors!) expect(a.minCosine).toBeCloseTo(1 / Math.hypot(1, 0.05), 5);
    const file = await applyTranslator(priors, translator, 't.json');
    expect(file.source).toBe('translator');
    expect(file.materials.like_a!.conductivity).toBeCloseTo(0.5, 1);
    expect(file.material_evidence.like_a).toMatchObject({
      source: 'translator',
      translated: ['conductivity'],
      label_values: { conductivity: 0.03 },
      nearest_learned: { label: 'm_a' },
    });
    // orthogonal to both anchors: the CLIP label's value stays, with the reason
    expect(file.materials.unlike!.conductivity).toBe(0.03);
    expect(String(file.material_evidence.unlike!.translator_skipped)).toMatch(
      /^outside what the translator learned \(nearest: m_\w at cosine 0\.000, its own surfaces ≥ 0\.999\)/,
    );
    expect(
      file.warnings.some((w) => w.startsWith("material 'unlike': outside what the translator learned")),
    ).toBe(true);
    // the input file is not changed
    expect(priors.materials.like_a!.conductivity).toBe(0.03);
  });
});
