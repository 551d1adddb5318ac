import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../engine/core/image.ts';
import { ituParameters } from '../../engine/materials/itu.ts';
import { exportSionnaScene } from '../../engine/scene/exportSionna.ts';
import { transformsJson } from '../../engine/vision/camera.ts';
import {
  LAYOUT_A,
  LAYOUT_B,
  type RoomLayout,
  renderRoomViews,
  roomCameras,
  roomObjects,
  roomScene,
} from '../../engine/vision/syntheticRoom.ts';
import { DEFAULT_CANDIDATES } from '../../engine/vision/vocabulary.ts';
import { runCli } from '../../test/cli.ts';

/**
 * The translator through the CLI, end to end on two small synthetic twins written to disk
 * (Sionna XML + PLY, six rendered views + transforms.json each):
 * priors A → synth A (truth away from ITU) → calibrate A --init priors → translator →
 * priors B --translator. Then bad inputs.
 */
const dir = mkdtempSync(join(tmpdir(), 'rftwin-translator-'));
const MODEL = ['--model', 'public/models/tiny-clip'];
const F = 28e9;
const factor = (cls: string) =>
  0.6 +
  0.1 *
    [
      'brick',
      'concrete',
      'glass',
      'plasterboard',
      'carpet',
      'tile',
      'wood',
      'marble',
      'chipboard',
      'fabric',
      'metal',
    ].indexOf(cls);
const nominalOf = (cls: string) =>
  ituParameters(DEFAULT_CANDIDATES.find((c) => c.label === cls)!.ituName, F).conductivity;

/** Write a synthetic room as a scene file with rendered views; returns the scene and transforms paths. */
function writeTwin(layout: RoomLayout, name: string): { scene: string; images: string } {
  const root = join(dir, name);
  const objects = roomObjects(layout);
  const scene = roomScene(name, objects);
  for (const [path, bytes] of exportSionnaScene(scene, `synthetic ${name}`)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), bytes);
  }
  const views = renderRoomViews(scene, objects, roomCameras(layout.half, 6, 160, 120, 120), 1);
  mkdirSync(join(root, 'views', 'images'), { recursive: true });
  const frames = views.map((v, k) => {
    const filePath = `images/frame_${k + 1}.png`;
    writeFileSync(join(root, 'views', filePath), encodePng(v.image));
    return { filePath, camera: v.camera };
  });
  writeFileSync(join(root, 'views', 'transforms.json'), transformsJson(frames));
  return { scene: join(root, `${name}.xml`), images: join(root, 'views', 'transforms.json') };
}

const ok = (r: ReturnType<typeof runCli>) => {
  expect(r.status, r.stderr).toBe(0);
  return r;
};

describe('rftwin translator + rftwin priors --translator', () => {
  let twinA: { scene: string; images: string };
  let twinB: { scene: string; images: string };
  const file = (name: string) => join(dir, name);

  beforeAll(() => {
    twinA = writeTwin(LAYOUT_A, 'twinA');
    twinB = writeTwin(LAYOUT_B, 'twinB');
    const rx = [-3.2, -1, 1, 3.2].flatMap((x) =>
      [-3.2, -1, 1, 3.2].flatMap((y) => [0.4, 1.5].map((z) => `${x},${y},${z}`)),
    );
    writeFileSync(file('rx.csv'), `rx_x,rx_y,rx_z\n${rx.join('\n')}\n`);
  });

  it('fits a translator from a calibrated twin and proposes twin B priors from its embeddings', () => {
    ok(
      runCli([
        'priors',
        '--scene',
        twinA.scene,
        '--images',
        twinA.images,
        ...MODEL,
        '--out',
        file('A-priors.json'),
      ]),
    );
    const priorsA = JSON.parse(readFileSync(file('A-priors.json'), 'utf8'));
    // twin A's ground truth: σ of each class away from its ITU value; the roughness S is the one
    // the photos gave, because calibrate --init applies the priors' S (it is not trained here).
    // Both synth and calibrate leave the diffuse paths out (--no-scattering) so the run takes
    // seconds; S still scales every specular reflection by √(1−S²) in both.
    const classes = [...new Set(roomObjects(LAYOUT_A).map((o) => o.cls))];
    writeFileSync(
      file('truthA.json'),
      JSON.stringify({
        materials: Object.fromEntries(
          classes.map((c) => [
            `mat_${c}`,
            {
              conductivity: nominalOf(c) * factor(c),
              scattering_coefficient: priorsA.materials[`mat_${c}`].scattering_coefficient,
            },
          ]),
        ),
      }),
    );
    // the priors file keeps each seen object's and patch's mean CLIP embedding
    expect(priorsA.objects.wall_south.embedding.length).toBeGreaterThan(8);
    expect(priorsA.objects.wall_south.patches[0].embedding.length).toBe(
      priorsA.objects.wall_south.embedding.length,
    );

    ok(
      runCli([
        'synth',
        '--scene',
        twinA.scene,
        '--frequency',
        '28e9',
        '--materials',
        file('truthA.json'),
        ...['0,0,2.6', '-3.3,0.3,0.5', '3.3,-1.5,0.6', '0.4,3.3,0.5', '-0.4,-3.3,0.6'].flatMap((t) => [
          '--tx',
          t,
        ]),
        '--rx-file',
        file('rx.csv'),
        '--noise-db',
        '0.05',
        '--noise-ns',
        '0.05',
        '--max-depth',
        '2',
        '--no-scattering',
        '--out',
        file('A-soundings.csv'),
      ]),
    );
    ok(
      runCli([
        'calibrate',
        '--scene',
        twinA.scene,
        '--frequency',
        '28e9',
        '--soundings',
        file('A-soundings.csv'),
        '--init',
        file('A-priors.json'),
        '--max-depth',
        '2',
        '--no-scattering',
        '--out',
        file('A-calibration.json'),
      ]),
    );
    const cal = JSON.parse(readFileSync(file('A-calibration.json'), 'utf8'));
    expect(cal.materials.mat_metal.conductivity_identifiable).toBe(false);

    const fit = ok(
      runCli([
        'translator',
        '--priors',
        file('A-priors.json'),
        '--calibrated',
        file('A-calibration.json'),
        '--out',
        file('translator.json'),
      ]),
    );
    expect(fit.stdout).toContain(`wrote ${file('translator.json')}: conductivity`);
    // metal's σ was not identifiable: its objects are left out of the training set, and it says so
    expect(fit.stderr).toMatch(/left out: .*box3_metal: conductivity of 'mat_metal' not identifiable/);
    const translator = JSON.parse(readFileSync(file('translator.json'), 'utf8'));
    expect(translator.parameters).toEqual(['conductivity']);

    ok(
      runCli([
        'priors',
        '--scene',
        twinB.scene,
        '--images',
        twinB.images,
        ...MODEL,
        '--translator',
        file('translator.json'),
        '--out',
        file('B-priors.json'),
      ]),
    );
    const b = JSON.parse(readFileSync(file('B-priors.json'), 'utf8'));
    expect(b.source).toBe('translator');
    expect(b.translator).toBe(file('translator.json'));
    const ids = Object.keys(b.materials);
    expect(ids.length).toBe(9);
    let errTranslator = 0;
    let errNominal = 0;
    for (const id of ids) {
      const cls = id.replace(/^mat_/, '');
      // CLIP's label and confidence stay as evidence; σ is the translator's
      expect(b.material_evidence[id]).toMatchObject({ source: 'translator', label: cls });
      expect(b.material_evidence[id].label_values.conductivity).toBeCloseTo(nominalOf(cls), 4);
      const truth = nominalOf(cls) * factor(cls);
      errTranslator += Math.abs(b.materials[id].conductivity - truth) / truth;
      errNominal += Math.abs(nominalOf(cls) - truth) / truth;
    }
    // what twin A's calibration taught carries over to twin B
    process.stderr.write(
      `rftwin priors --translator on twin B: σ MRE ${(errTranslator / ids.length).toFixed(4)} (CLIP label → ITU: ${(errNominal / ids.length).toFixed(4)})\n`,
    );
    expect(errTranslator / ids.length).toBeLessThan(errNominal / ids.length / 2);
    // and B's priors start B's calibration
    const calB = ok(
      runCli([
        'calibrate',
        '--scene',
        twinB.scene,
        '--frequency',
        '28e9',
        '--soundings',
        file('A-soundings.csv'),
        '--init',
        file('B-priors.json'),
        '--max-iterations',
        '1',
        '--max-depth',
        '1',
        '--no-scattering',
      ]),
    );
    expect(calB.stderr).toContain(`init ${file('B-priors.json')}`);
  });

  it('reports bad translator inputs naming the file and what was expected', () => {
    const good = JSON.parse(readFileSync(file('translator.json'), 'utf8'));
    const DEMO = ['--scene', twinB.scene, '--images', twinB.images, ...MODEL];
    // wrong shape: the first kernel lost a row
    const broken = structuredClone(good);
    broken.weights[0].shape = [good.inputSize - 1, good.hidden];
    writeFileSync(file('broken.json'), JSON.stringify(broken));
    let r = runCli(['priors', ...DEMO, '--translator', file('broken.json'), '--out', file('x.json')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      `${file('broken.json')}: weights[0].shape: expected [${good.inputSize}, ${good.hidden}]`,
    );
    // self-consistent, but for another embedding dimension (fitted with another CLIP model)
    const d = 7;
    const other = {
      ...good,
      inputSize: d,
      inputMean: new Array(d).fill(0),
      inputStd: new Array(d).fill(1),
      weights: [
        { shape: [d, good.hidden], values: new Array(d * good.hidden).fill(0) },
        ...good.weights.slice(1),
      ],
      anchors: good.anchors.map((a: { label: string; minCosine: number }) => ({
        ...a,
        embedding: new Array(d).fill(1 / Math.sqrt(d)),
      })),
    };
    writeFileSync(file('other-dim.json'), JSON.stringify(other));
    r = runCli(['priors', ...DEMO, '--translator', file('other-dim.json'), '--out', file('y.json')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      `${file('other-dim.json')}: inputSize: the translator takes 7-d CLIP embeddings but`,
    );
    expect(r.stderr).toContain(`-d ones`);
    // not a translator at all
    r = runCli(['priors', ...DEMO, '--translator', file('A-calibration.json'), '--out', file('z.json')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${file('A-calibration.json')}: format: expected "rftwin-translator/1"`);

    // missing file; and without the model the translator cannot be used: name-based priors, said so
    r = runCli(['priors', ...DEMO, '--translator', file('nowhere.json'), '--out', file('w.json')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${file('nowhere.json')}: was not found`);
    r = ok(
      runCli([
        'priors',
        '--scene',
        twinB.scene,
        '--images',
        twinB.images,
        '--model',
        './no/model',
        '--translator',
        file('translator.json'),
        '--out',
        file('v.json'),
      ]),
    );
    expect(r.stderr).toContain(`the translator ${file('translator.json')} needs CLIP embeddings`);
    expect(JSON.parse(readFileSync(file('v.json'), 'utf8')).source).toBe('name');

    // fitting: name-based priors carry no embeddings; a priors file is not a calibration
    ok(
      runCli([
        'priors',
        '--scene',
        twinA.scene,
        '--images',
        twinA.images,
        '--model',
        './no/model',
        '--out',
        file('names.json'),
      ]),
    );
    r = runCli([
      'translator',
      '--priors',
      file('names.json'),
      '--calibrated',
      file('A-calibration.json'),
      '--out',
      file('t.json'),
    ]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${file('names.json')}: objects: no seen object carries a CLIP embedding`);
    r = runCli([
      'translator',
      '--priors',
      file('A-priors.json'),
      '--calibrated',
      file('A-priors.json'),
      '--out',
      file('t.json'),
    ]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      `${file('A-priors.json')}: format: this is a priors file (rftwin priors), not a calibration result (rftwin calibrate --out)`,
    );
    r = runCli(['translator', '--priors', file('A-priors.json'), '--out', file('t.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('one --calibrated result per --priors file');
  });
});
