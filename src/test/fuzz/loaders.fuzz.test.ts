import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTwinJson } from '../../app/twin/twinJson.ts';
import { parseReceiverCsv } from '../../cli/commands/trace.ts';
import {
  createImage,
  decodePng,
  encodePng,
  hasId,
  InputError,
  type InputLimits,
  parseJsonText,
  unzipCapped,
  withDefaultLimits,
} from '../../engine/core/index.ts';
import {
  type LocatedJson,
  parseLocatedJson,
  parseMaterialsJson,
  parsePositionsCsv,
  parseSoundingsCsv,
  parseSoundingsJson,
  type Sounding,
} from '../../engine/io/index.ts';
import { materialSpecProblems, radioParameterProblems } from '../../engine/materials/index.ts';
import {
  buildScene,
  loadScene,
  memoryFileSource,
  parseObj,
  parsePly,
  parseXml,
  type Scene,
  writePly,
  type XmlElement,
} from '../../engine/scene/index.ts';
import { loadViews, parseTranslatorJson } from '../../engine/vision/index.ts';
import { HOSTILE_DIR } from '../hostileCorpus.ts';
import { REPO_ROOT, SIONNA_SCENES_DIR } from '../paths.ts';
import { mutatedBytes, mutatedText } from './mutate.ts';

/**
 * Property-based fuzzing of every loader (issue 16, acceptance 2): mutated seed files and
 * random structures, RFTWIN_FUZZ_RUNS cases per loader (1,000 in `npm test`, 10,000 each in
 * `npm run fuzz`), a fixed seed. For every case the loader must either return a result within
 * the (small) limits below with no NaN or infinite geometry or parameter, or throw the
 * project's InputError naming the file and the element in one line; anything else (a
 * TypeError, a RangeError, a stack overflow, a NaN) fails with the input that caused it.
 * A hang fails on the test timeout. With RFTWIN_FUZZ_RECORD=1 the counts are written to
 * bench/results/fuzz.json.
 */
const RUNS = Number(process.env.RFTWIN_FUZZ_RUNS ?? 1000);
const SEED = 16;
const LIMITS: InputLimits = withDefaultLimits({
  fileBytes: 2 ** 20,
  decompressedBytes: 2 ** 20,
  vertices: 4096,
  faces: 4096,
  indicesPerFace: 512,
  objects: 256,
  nodes: 256,
  frames: 32,
  rows: 2000,
  depth: 64,
});

const tally = new Map<string, { cases: number; loaded: number; rejected: number; passed: boolean }>();
afterAll(() => {
  if (process.env.RFTWIN_FUZZ_RECORD !== '1') return;
  const loaders = Object.fromEntries(tally);
  const total = [...tally.values()].reduce((s, t) => s + t.cases, 0);
  const failures = [...tally].filter(([, t]) => !t.passed).map(([name]) => name);
  const out = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'fuzz.json'),
    `${JSON.stringify({ date: new Date().toISOString(), seed: SEED, runsPerLoader: RUNS, totalCases: total, failures, limits: LIMITS, loaders }, null, 2)}\n`,
  );
});

/** The project's error contract: InputError, one line "file: element: problem". */
function expectInputError(e: unknown): void {
  if (!(e instanceof InputError)) throw e;
  expect(typeof e.file).toBe('string');
  expect(e.file.length).toBeGreaterThan(0);
  expect(typeof e.element, `element of: ${e.message}`).toBe('string');
  expect(e.element!.length).toBeGreaterThan(0);
  expect(e.message).not.toContain('\n');
  expect(e.message.startsWith(`${e.file}: ${e.element}: `)).toBe(true);
}

async function outcome<T>(loader: string, load: () => T | Promise<T>, check: (result: T) => void) {
  const t = tally.get(loader) ?? { cases: 0, loaded: 0, rejected: 0, passed: false };
  tally.set(loader, t);
  t.cases++;
  let result: T;
  try {
    result = await load();
  } catch (e) {
    expectInputError(e);
    t.rejected++;
    return;
  }
  check(result);
  t.loaded++;
}

const finite = (values: ArrayLike<number>, what: string) => {
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i])) throw new Error(`${what}[${i}] is ${values[i]}`);
};

/** A loaded scene: within the limits, every number finite, every material valid. */
function checkScene(scene: Scene) {
  const triangles = scene.triangleObject.length;
  expect(triangles).toBeGreaterThan(0);
  expect(triangles).toBeLessThanOrEqual(LIMITS.faces);
  expect(scene.objects.length).toBeLessThanOrEqual(LIMITS.objects);
  expect(scene.positions.length).toBe(9 * triangles);
  finite(scene.positions, 'positions');
  finite([...scene.bbox.min, ...scene.bbox.max], 'bbox');
  for (const f of scene.faces) {
    finite([...f.normal, f.offset, f.area], `face ${f.id}`);
    expect(f.area).toBeGreaterThan(0);
  }
  for (let t = 0; t < triangles; t++) expect(scene.triangleObject[t]!).toBeLessThan(scene.objects.length);
  for (const o of scene.objects) {
    expect(hasId(scene.materials, o.materialId)).toBe(true);
    expect(materialSpecProblems(scene.materials[o.materialId]!.spec)).toEqual([]);
  }
  for (const w of scene.warnings) expect(w).not.toContain('\n');
}

function checkSoundings(list: Sounding[]) {
  expect(list.length).toBeGreaterThan(0);
  expect(list.length).toBeLessThanOrEqual(LIMITS.rows);
  for (const s of list) {
    finite([...s.tx, ...s.rx, ...Object.values(s.metrics)], s.origin);
    expect(s.tx.some((x, k) => x !== s.rx[k])).toBe(true);
    for (const p of s.paths ?? []) finite(Object.values(p), `${s.origin} path`);
  }
}

function depthOf(root: XmlElement | LocatedJson): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    max = Math.max(max, d);
    const node = v as { children?: unknown[]; items?: unknown[]; entries?: Map<string, unknown> };
    for (const c of node.children ?? node.items ?? [...(node.entries?.values() ?? [])])
      stack.push([c, d + 1]);
  }
  return max;
}

const fixture = (name: string) => readFileSync(join(HOSTILE_DIR, name), 'utf8');
const fixtures = (ext: string) =>
  readdirSync(HOSTILE_DIR)
    .filter((f) => f.endsWith(ext))
    .map(fixture);
const utf8 = (s: string) => new TextEncoder().encode(s);
/** Run RUNS cases of one loader; its tally is marked passed only when every case held. */
async function property<T>(loader: string, arb: fc.Arbitrary<T>, run: (v: T) => Promise<void>) {
  await fc.assert(
    fc.asyncProperty(arb, async (v) => {
      await run(v);
    }),
    { seed: SEED, numRuns: RUNS },
  );
  const t = tally.get(loader);
  if (t) t.passed = true;
}

// ---------------------------------------------------------------- scene formats
const PLATE = fixture('meshes/plate.ply');
const OBJ_SEEDS = [
  'mtllib room.mtl\nv 0 0 0\nv 4 0 0\nv 4 4 0\nv 0 4 0\nv 0 0 3\nv 0 4 3\no floor\nusemtl itu_concrete\nf 1 2 3 4\no wall\nusemtl Wall_brick\nf 1 4 6 5\ng thing\nf 1/1/1 5/1/1 6//1\nvn 0 0 1\nl 1 2\n',
  'v 0 0 0\nv 1 0 0\nv 0 1 0\nv 1 1 0\nf -4 -3 -2\nf 2 4 3\n',
  ...fixtures('.obj'),
];
const PLY_SEEDS = [PLATE, ...fixtures('.ply').filter((t) => t.startsWith('ply\nformat ascii'))];
const cube = writePly(
  [0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1],
  [0, 1, 2, 0, 2, 3, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4],
);
const BINARY_PLY_SEEDS = [
  cube,
  new Uint8Array(readFileSync(join(SIONNA_SCENES_DIR, 'box', 'meshes', 'box.ply'))),
];
const GLTF_SEEDS = fixtures('.gltf');
const XML_SEEDS = [
  readFileSync(join(SIONNA_SCENES_DIR, 'floor_wall', 'floor_wall.xml'), 'utf8'),
  readFileSync(join(SIONNA_SCENES_DIR, 'box_one_screen', 'box_one_screen.xml'), 'utf8'),
  ...fixtures('.xml'),
  '<scene version="2.1.0">\n<default name="t" value="0.2"/>\n<bsdf type="twosided" id="c"><bsdf type="radio-material"><float name="relative_permittivity" value="4.5"/><float name="conductivity" value="0.02"/><float name="thickness" value="$t"/></bsdf></bsdf>\n<shape type="ply" id="mesh-p"><string name="filename" value="meshes/plate.ply"/><ref id="c" name="bsdf"/><transform name="to_world"><scale value="2"/><rotate x="1" angle="90"/><translate x="1" y="2" z="3"/><lookat origin="0,0,0" target="1,0,0"/></transform></shape>\n<shape type="obj" id="o"><string name="filename" value="meshes/tri.obj"/><bsdf type="diffuse" id="itu_wood"/></shape>\n</scene>\n',
];
const SCENE_FILES = new Map<string, Uint8Array>([
  ['meshes/plate.ply', utf8(PLATE)],
  ['meshes/tri.obj', utf8('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n')],
  [
    'meshes/floor.ply',
    new Uint8Array(readFileSync(join(SIONNA_SCENES_DIR, 'floor_wall', 'meshes', 'floor.ply'))),
  ],
  [
    'meshes/wall.ply',
    new Uint8Array(readFileSync(join(SIONNA_SCENES_DIR, 'floor_wall', 'meshes', 'wall.ply'))),
  ],
  ['meshes/box.ply', BINARY_PLY_SEEDS[1]!],
  [
    'meshes/screen.ply',
    new Uint8Array(readFileSync(join(SIONNA_SCENES_DIR, 'box_one_screen', 'meshes', 'screen.ply'))),
  ],
  ['room.mtl', utf8('newmtl itu_concrete\nnewmtl Wall_brick\n')],
]);
const loadFrom = (name: string, data: Uint8Array) =>
  loadScene(memoryFileSource(new Map([...SCENE_FILES, [name, data]])), name, { limits: LIMITS });

/** A glTF document built from random parts: indices, counts, strides and modes out of range. */
/** Mostly the index or count a valid file has (`usual`), sometimes anything. */
const int = (usual: number) =>
  fc.oneof(
    { weight: 30, arbitrary: fc.constant(usual) },
    { weight: 2, arbitrary: fc.integer({ min: -1, max: 6 }) },
    { weight: 1, arbitrary: fc.constantFrom(0.5, 2 ** 31, 1e8, 4294967295, -0) },
  );
/** Present in `present` of present + absent documents. */
const opt = <T>(a: fc.Arbitrary<T>, present = 1, absent = 1) =>
  fc.oneof({ weight: absent, arbitrary: fc.constant(undefined) }, { weight: present, arbitrary: a });
const numbers = (n: number) => fc.array(fc.double({ min: -1e6, max: 1e6 }), { minLength: n, maxLength: n });
// a right triangle in the z = 0 plane (3 VEC3 floats) and its indices (3 uint16 + padding)
const TRIANGLE_BYTES = (() => {
  const b = new Uint8Array(44);
  b.set(new Uint8Array(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]).buffer));
  b.set(new Uint8Array(new Uint16Array([0, 1, 2, 0]).buffer), 36);
  return b;
})();
/** Mostly this value, sometimes another. */
const usually = <T>(value: T, other: fc.Arbitrary<T>, weight = 10) =>
  fc.oneof({ weight, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: other });
const randomGltf = fc
  .record({
    buffers: fc.array(
      fc.record({
        bytes: usually(TRIANGLE_BYTES, fc.uint8Array({ maxLength: 96 })),
        byteLength: opt(int(44), 10),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    bufferViews: fc.tuple(
      fc.record({
        buffer: int(0),
        byteOffset: opt(int(0), 1, 3),
        byteLength: int(36),
        byteStride: opt(fc.constantFrom(0, 4, 12, 13, 16, 256), 1, 10),
      }),
      fc.record({ buffer: int(0), byteOffset: opt(int(36), 20), byteLength: int(6) }),
    ),
    accessors: fc.tuple(
      fc.record({
        bufferView: opt(int(0), 30),
        byteOffset: opt(int(0), 1, 5),
        componentType: usually(5126, fc.constantFrom(5120, 5121, 5122, 5123, 5125, 7), 20),
        count: int(3),
        type: usually('VEC3', fc.constantFrom('SCALAR', 'VEC2', 'MAT4', 'VEC9'), 20),
      }),
      fc.record({
        bufferView: opt(int(1), 30),
        componentType: usually(5123, fc.constantFrom(5121, 5125, 5126), 20),
        count: int(3),
        type: usually('SCALAR', fc.constant('VEC3'), 20),
      }),
    ),
    meshes: fc.array(
      fc.record({
        primitives: fc.array(
          fc.record({
            attributes: fc.record({ POSITION: opt(int(0), 30) }),
            indices: opt(int(1), 3),
            mode: opt(usually(4, fc.integer({ min: 0, max: 7 }), 3), 1, 2),
            material: opt(int(0)),
          }),
          { minLength: 1, maxLength: 2 },
        ),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    nodes: fc.array(
      fc.record({
        mesh: opt(int(0), 4),
        children: opt(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 2 }), 1, 6),
        matrix: opt(numbers(16), 1, 10),
        translation: opt(numbers(3), 1, 2),
        rotation: opt(numbers(4), 1, 3),
        scale: opt(numbers(3), 1, 3),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    scenes: opt(
      fc.array(fc.record({ nodes: fc.array(int(0), { minLength: 1, maxLength: 2 }) }), {
        minLength: 1,
        maxLength: 2,
      }),
      4,
    ),
    scene: opt(int(0), 1, 3),
  })
  .map((g) =>
    JSON.stringify({
      ...g,
      asset: { version: '2.0' },
      materials: [{ name: 'itu_glass' }],
      buffers: g.buffers.map((b) => ({
        uri: `data:application/octet-stream;base64,${Buffer.from(b.bytes).toString('base64')}`,
        byteLength: b.byteLength ?? b.bytes.length,
      })),
    }),
  );

function glb(json: string, bin: Uint8Array): Uint8Array {
  const j = utf8(json + ' '.repeat((4 - (utf8(json).length % 4)) % 4));
  const total = 12 + 8 + j.length + 8 + bin.length;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  out.set(utf8('glTF'));
  v.setUint32(4, 2, true);
  v.setUint32(8, total, true);
  v.setUint32(12, j.length, true);
  v.setUint32(16, 0x4e4f534a, true);
  out.set(j, 20);
  v.setUint32(20 + j.length, bin.length, true);
  v.setUint32(24 + j.length, 0x004e4942, true);
  out.set(bin, 28 + j.length);
  return out;
}
const GLB_SEED = glb(
  JSON.stringify({
    asset: { version: '2.0' },
    scenes: [{ nodes: [0] }],
    nodes: [{ name: 'Panel', mesh: 0, translation: [0, 0, 2] }],
    meshes: [{ primitives: [{ attributes: { POSITION: 0 }, indices: 1, material: 0 }] }],
    materials: [{ name: 'glass_pane' }],
    buffers: [{ byteLength: 44 }],
    bufferViews: [
      { buffer: 0, byteOffset: 0, byteLength: 36 },
      { buffer: 0, byteOffset: 36, byteLength: 6 },
    ],
    accessors: [
      { bufferView: 0, componentType: 5126, count: 3, type: 'VEC3' },
      { bufferView: 1, componentType: 5123, count: 3, type: 'SCALAR' },
    ],
  }),
  (() => {
    const b = new Uint8Array(44);
    b.set(new Uint8Array(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]).buffer));
    b.set(new Uint8Array(new Uint16Array([0, 1, 2, 0]).buffer), 36);
    return b;
  })(),
);

describe('scene loaders', () => {
  it('OBJ', () =>
    property('obj', mutatedText(OBJ_SEEDS), (text) =>
      outcome('obj', () => loadFrom('room.obj', utf8(text)), checkScene),
    ));

  it('OBJ parser alone', () =>
    property('obj-parser', mutatedText(OBJ_SEEDS), (text) =>
      outcome(
        'obj-parser',
        () => parseObj(text, 'a.obj', LIMITS),
        (r) => {
          for (const p of r.parts) {
            finite(p.vertices, 'vertices');
            expect(p.vertices.length / 3).toBeLessThanOrEqual(LIMITS.vertices);
            for (const i of p.indices) expect(i).toBeLessThan(p.vertices.length / 3);
          }
        },
      ),
    ));

  it('PLY (ASCII)', () =>
    property('ply-ascii', mutatedText(PLY_SEEDS), (text) =>
      outcome('ply-ascii', () => loadFrom('wall.ply', utf8(text)), checkScene),
    ));

  it('PLY (binary)', () =>
    property('ply-binary', mutatedBytes(BINARY_PLY_SEEDS), (bytes) =>
      outcome(
        'ply-binary',
        () => parsePly(bytes, 'box.ply', LIMITS),
        (m) => {
          finite(m.vertices, 'vertices');
          expect(m.vertices.length / 3).toBeLessThanOrEqual(LIMITS.vertices);
          expect(m.indices.length / 3).toBeLessThanOrEqual(LIMITS.faces);
          for (const i of m.indices) expect(i).toBeLessThan(m.vertices.length / 3);
        },
      ),
    ));

  it('glTF (mutated files)', () =>
    property('gltf', mutatedText(GLTF_SEEDS), (text) =>
      outcome('gltf', () => loadFrom('panel.gltf', utf8(text)), checkScene),
    ));

  it('glTF (random documents)', () =>
    property('gltf-random', randomGltf, (text) =>
      outcome('gltf-random', () => loadFrom('random.gltf', utf8(text)), checkScene),
    ));

  it('GLB', () =>
    property('glb', mutatedBytes([GLB_SEED]), (bytes) =>
      outcome('glb', () => loadFrom('panel.glb', bytes), checkScene),
    ));

  it('Mitsuba XML scene', () =>
    property('mitsuba-xml', mutatedText(XML_SEEDS), (text) =>
      outcome('mitsuba-xml', () => loadFrom('scene.xml', utf8(text)), checkScene),
    ));

  it('XML parser alone', () =>
    property('xml-parser', mutatedText(XML_SEEDS), (text) =>
      outcome(
        'xml-parser',
        () => parseXml(text, 's.xml', LIMITS),
        (root) => expect(depthOf(root)).toBeLessThanOrEqual(LIMITS.depth),
      ),
    ));
});

// ---------------------------------------------------------------- measurement and material files
const CSV_SEEDS = [
  'tx_x,tx_y,tx_z,rx_x,rx_y,rx_z,path_gain_db,rms_delay_spread_ns,k_factor_db,angular_spread_deg\n# comment\n0,0,2,1,1,1.5,-70,12.5,3,40\n0,0,2,-1,2,1.5,-75,,,\n',
  'tx_x,tx_y,tx_z,rx_x,rx_y,rx_z,tx_power_dbm,power_dbm,rss_dbm\n0,0,2,1,1,1.5,20,-50,-52\n',
  ...fixtures('.csv'),
];
const SOUNDINGS_JSON_SEEDS = [
  '{"links": [\n {"tx": [0, 0, 2], "rx": [1, 1, 1.5], "path_gain_db": -70, "paths": [{"delay_s": 1e-8, "gain_db": -72, "aoa_azimuth_deg": 10}]},\n {"tx": [0, 0, 2], "rx": [2, 1, 1.5], "coherent_gain_db": -75}\n]}\n',
  fixture('tx-equals-rx.json'),
  fixture('gain-1e400.json'),
];
const MATERIALS_SEEDS = [
  '{"materials": {\n  "itu_concrete": {"relative_permittivity": 5.2, "conductivity": 0.3, "conductivity_std": 0.1, "scattering_coefficient": 0.2, "thickness": 0.1},\n  "__proto__": {"conductivity": 1}\n}}\n',
  fixture('conductivity-1e400.json'),
];

describe('measurement and material files', () => {
  it('soundings CSV', () =>
    property('soundings-csv', mutatedText(CSV_SEEDS), (text) =>
      outcome('soundings-csv', () => parseSoundingsCsv(text, 's.csv', { limits: LIMITS }), checkSoundings),
    ));

  it('soundings JSON', () =>
    property('soundings-json', mutatedText(SOUNDINGS_JSON_SEEDS), (text) =>
      outcome('soundings-json', () => parseSoundingsJson(text, 's.json', { limits: LIMITS }), checkSoundings),
    ));

  it('positions CSV', () =>
    property(
      'positions-csv',
      mutatedText([fixture('positions.csv'), 'tx_x,tx_y,tx_z,rx_x,rx_y,rx_z\n0,0,2,1,1,1.5\n']),
      (text) =>
        outcome(
          'positions-csv',
          () => parsePositionsCsv(text, 'p.csv', { limits: LIMITS }),
          (list) => {
            expect(list.length).toBeLessThanOrEqual(LIMITS.rows);
            for (const p of list) finite([...(p.tx ?? []), ...p.rx], p.origin);
          },
        ),
    ));

  it('receivers CSV (rftwin trace --rx-file)', () =>
    property(
      'receivers-csv',
      mutatedText(['x,y,z\n1,2,3\n# note\n4,5,6\n', 'name,z,y,x\na,1,2,3\n']),
      (text) =>
        outcome(
          'receivers-csv',
          () => parseReceiverCsv(text, 'rx.csv', LIMITS),
          (list) => {
            expect(list.length).toBeLessThanOrEqual(LIMITS.rows);
            for (const p of list) finite(p, 'receiver');
          },
        ),
    ));

  it('materials JSON', () =>
    property('materials-json', mutatedText(MATERIALS_SEEDS), (text) =>
      outcome(
        'materials-json',
        () => parseMaterialsJson(text, 'm.json', LIMITS),
        (materials) => {
          for (const values of Object.values(materials)) {
            finite(Object.values(values), 'material');
            expect(
              radioParameterProblems({
                relativePermittivity: values.relative_permittivity,
                conductivity: values.conductivity,
                scatteringCoefficient: values.scattering_coefficient,
                thickness: values.thickness,
              }),
            ).toEqual([]);
          }
        },
      ),
    ));

  it('JSON with lines (the parser under soundings and materials)', () =>
    property(
      'located-json',
      mutatedText([
        ...SOUNDINGS_JSON_SEEDS,
        ...MATERIALS_SEEDS,
        '[[[[[[[[1]]]]]]]]',
        '{"a": {"b": [1, 2, {"c": null}]}}',
      ]),
      (text) =>
        outcome(
          'located-json',
          () => parseLocatedJson(text, 'x.json', LIMITS),
          (root) => expect(depthOf(root)).toBeLessThanOrEqual(LIMITS.depth),
        ),
    ));
});

// ---------------------------------------------------------------- images and posed views
const image = (w: number, h: number, seed: number) => {
  const img = createImage(w, h);
  for (let i = 0; i < img.data.length; i++) img.data[i] = (i * seed) & 255;
  return img;
};
const PNG_SEEDS = [
  encodePng(image(4, 3, 7)),
  encodePng(image(1, 1, 3)),
  new Uint8Array(readFileSync(join(HOSTILE_DIR, 'views-corrupt-png', 'corrupt.png'))),
];
const TRANSFORMS_SEEDS = [
  JSON.stringify({
    camera_model: 'OPENCV',
    fl_x: 5,
    fl_y: 5,
    w: 4,
    h: 3,
    k1: 0.01,
    frames: [
      {
        file_path: 'images/a.png',
        transform_matrix: [
          [1, 0, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 2],
          [0, 0, 0, 1],
        ],
      },
      {
        file_path: 'images/a',
        transform_matrix: [
          [0, -1, 0, 1],
          [1, 0, 0, 0],
          [0, 0, 1, 2],
          [0, 0, 0, 1],
        ],
      },
    ],
  }),
  JSON.stringify({
    camera_angle_x: 0.8,
    w: 1,
    h: 1,
    frames: [
      {
        file_path: 'images/b.png',
        transform_matrix: [
          [1, 0, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 2],
        ],
      },
    ],
  }),
  fixture('views-dev-zero/transforms.json'),
];

describe('images and posed views', () => {
  it('PNG decoder', () =>
    property('png', mutatedBytes(PNG_SEEDS), (bytes) =>
      outcome(
        'png',
        () => decodePng(bytes, 'a.png', LIMITS.decompressedBytes),
        (img) => {
          expect(img.data.length).toBe(4 * img.width * img.height);
          expect(img.data.length).toBeLessThanOrEqual(LIMITS.decompressedBytes);
        },
      ),
    ));

  it('transforms.json with its images', () =>
    property(
      'transforms-json',
      fc.tuple(mutatedText(TRANSFORMS_SEEDS), mutatedBytes([PNG_SEEDS[0]!])),
      ([text, png]) =>
        outcome(
          'transforms-json',
          () =>
            loadViews(
              memoryFileSource(
                new Map([
                  ['scan/transforms.json', utf8(text)],
                  ['scan/images/a.png', png],
                  ['scan/images/b.png', PNG_SEEDS[1]!],
                ]),
              ),
              'scan/transforms.json',
              undefined,
              { limits: LIMITS },
            ),
          (views) => {
            expect(views.length).toBeLessThanOrEqual(LIMITS.frames);
            for (const v of views) {
              const c = v.camera;
              finite([c.fx, c.fy, c.cx, c.cy, ...c.camToWorld, ...Object.values(c.distortion ?? {})], v.name);
              expect(v.image.width).toBe(c.width);
            }
          },
        ),
    ));
});

// ---------------------------------------------------------------- studio and vision files
const TWIN_SEED = JSON.stringify({
  format: 'rftwin-twin',
  version: 1,
  name: 'room',
  frequency_hz: 28e9,
  objects: [
    {
      name: 'floor',
      material: 'itu_concrete',
      vertices: [0, 0, 0, 4, 0, 0, 4, 4, 0, 0, 4, 0],
      indices: [0, 1, 2, 0, 2, 3],
    },
    { name: 'wall', material: 'custom', vertices: [0, 0, 0, 0, 4, 0, 0, 4, 3], indices: [0, 1, 2] },
  ],
  materials: {
    itu_concrete: {
      spec: { kind: 'itu', ituName: 'concrete', thickness: 0.1, scatteringCoefficient: 0, xpdCoefficient: 0 },
      source: 'scene',
    },
    custom: {
      spec: {
        kind: 'custom',
        relativePermittivity: 4,
        conductivity: 0.1,
        scatteringCoefficient: 0.2,
        xpdCoefficient: 0,
        thickness: 0.2,
      },
      source: 'manual',
      confidence: 1,
    },
  },
  radio_parameters: {},
  devices: [{ kind: 'tx', name: 'Tx 1', position: [1, 1, 2] }],
  provenance: { tool: 'RFTwin Studio', exported_at: '2025-01-01', inputs: [], priors: {}, errors: [] },
});

const ZIP_SEED = zipSync({
  'room.xml': utf8(XML_SEEDS[0]!),
  'meshes/floor.ply': SCENE_FILES.get('meshes/floor.ply')!,
  'notes.txt': [utf8('stored'), { level: 0 }],
});

describe('studio and vision files', () => {
  it('zip archives (the studio opens them in place)', () =>
    property('zip', mutatedBytes([ZIP_SEED]), (bytes) =>
      outcome(
        'zip',
        () => unzipCapped(bytes, 'twin.zip', LIMITS),
        (entries) => {
          expect(entries.length).toBeLessThanOrEqual(LIMITS.objects);
          expect(entries.reduce((s, e) => s + e.data.length, 0)).toBeLessThanOrEqual(
            LIMITS.decompressedBytes,
          );
        },
      ),
    ));

  it('twin JSON (the studio builds its scene from it)', () =>
    property('twin-json', mutatedText([TWIN_SEED]), (text) =>
      outcome(
        'twin-json',
        () => {
          const twin = parseTwinJson(parseJsonText(text, 'room.json'), 'room.json', LIMITS);
          return buildScene(
            twin.name,
            twin.objects.map((o) => ({
              name: o.name,
              materialId: o.material,
              vertices: o.vertices,
              indices: o.indices,
              file: 'room.json',
            })),
            Object.fromEntries(
              Object.entries(twin.materials).map(([id, m]) => [id, { id, spec: m.spec, source: m.source }]),
            ),
            [],
            { limits: LIMITS, file: 'room.json' },
          );
        },
        checkScene,
      ),
    ));

  it('translator JSON', () => {
    const seed = JSON.stringify({
      format: 'rftwin-translator/1',
      parameters: ['relative_permittivity'],
      inputSize: 2,
      hidden: 1,
      inputMean: [0, 0],
      inputStd: [1, 1],
      targetMean: [1],
      targetStd: [1],
      weights: [
        { shape: [2, 1], values: [0.5, -0.5] },
        { shape: [1], values: [0] },
        { shape: [1, 1], values: [1] },
        { shape: [1], values: [0] },
      ],
    });
    return property('translator-json', mutatedText([seed]), (text) =>
      outcome(
        'translator-json',
        () => parseTranslatorJson(text, 't.json'),
        (t) =>
          finite(
            [
              ...t.inputMean,
              ...t.inputStd,
              ...t.targetMean,
              ...t.targetStd,
              ...t.weights.flatMap((w) => w.values),
            ],
            'translator',
          ),
      ),
    );
  });
});
