import { beforeAll, describe, expect, it } from 'vitest';
import type { Vec3 } from '../../core/vec3.ts';
import { memoryFileSource } from '../../scene/fileSource.ts';
import { loadScene } from '../../scene/load.ts';
import { writePly } from '../../scene/ply.ts';
import { boxMesh } from '../../scene/primitives.ts';
import type { Scene } from '../../scene/types.ts';
import { tracePathsSync } from './tracePaths.ts';

/**
 * Watertight edges (issue 18, acceptance 2; docs/physics.md §9): a closed metal box
 * [0,4]×[0,3]×[0,2.5] m, written in every importer format, with the transmitter outside. With
 * the walls impenetrable (transmission off) no receiver inside may get a path of any kind, at
 * any depth: the receivers sit on a 0.25 m lattice whose coordinates line up with the box's
 * edges and with the transmitters, so image points fall exactly on edges and corners.
 */
const MIN: Vec3 = [0, 0, 0];
const MAX: Vec3 = [4, 3, 2.5];
const { vertices, indices } = boxMesh(MIN, MAX);

function objText(): string {
  const lines = ['o box', 'usemtl itu_metal'];
  for (let i = 0; i < vertices.length; i += 3)
    lines.push(`v ${vertices[i]} ${vertices[i + 1]} ${vertices[i + 2]}`);
  for (let i = 0; i < indices.length; i += 3)
    lines.push(`f ${indices[i]! + 1} ${indices[i + 1]! + 1} ${indices[i + 2]! + 1}`);
  return lines.join('\n');
}

function glb(): Uint8Array {
  const positions = new Float32Array(vertices);
  const idx = new Uint16Array(indices);
  const bin = new Uint8Array(positions.byteLength + idx.byteLength);
  bin.set(new Uint8Array(positions.buffer), 0);
  bin.set(new Uint8Array(idx.buffer), positions.byteLength);
  const json = {
    asset: { version: '2.0' },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ name: 'box', mesh: 0 }],
    meshes: [{ name: 'box', primitives: [{ attributes: { POSITION: 0 }, indices: 1, material: 0 }] }],
    materials: [{ name: 'itu_metal' }],
    buffers: [{ byteLength: bin.length }],
    bufferViews: [
      { buffer: 0, byteOffset: 0, byteLength: positions.byteLength },
      { buffer: 0, byteOffset: positions.byteLength, byteLength: idx.byteLength },
    ],
    accessors: [
      {
        bufferView: 0,
        componentType: 5126,
        count: vertices.length / 3,
        type: 'VEC3',
        min: MIN,
        max: MAX,
      },
      { bufferView: 1, componentType: 5123, count: indices.length, type: 'SCALAR' },
    ],
  };
  const text = JSON.stringify(json);
  const jsonBytes = new TextEncoder().encode(text + ' '.repeat((4 - (text.length % 4)) % 4));
  const total = 12 + 8 + jsonBytes.length + 8 + bin.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('glTF'), 0);
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonBytes.length, true);
  view.setUint32(16, 0x4e4f534a, true);
  out.set(jsonBytes, 20);
  view.setUint32(20 + jsonBytes.length, bin.length, true);
  view.setUint32(24 + jsonBytes.length, 0x004e4942, true);
  out.set(bin, 28 + jsonBytes.length);
  return out;
}

const mitsuba = `<scene version="2.1.0">
<bsdf type="itu-radio-material" id="metal"><string name="type" value="metal"/></bsdf>
<shape type="ply" id="box"><string name="filename" value="box.ply"/><ref id="metal" name="bsdf"/></shape>
</scene>`;

const enc = (s: string) => new TextEncoder().encode(s);
const FORMATS: Record<string, [string, Map<string, Uint8Array>]> = {
  'Mitsuba XML + PLY': [
    'box.xml',
    new Map([
      ['box.xml', enc(mitsuba)],
      ['box.ply', writePly(vertices, indices)],
    ]),
  ],
  PLY: ['Box_metal.ply', new Map([['Box_metal.ply', writePly(vertices, indices)]])],
  OBJ: ['box.obj', new Map([['box.obj', enc(objText())]])],
  GLB: ['box.glb', new Map([['box.glb', glb()]])],
};

/** Transmitters outside: level with the inside lattice, above the roof, and off a corner. */
const TXS: Vec3[] = [
  [6, 1.5, 1.25],
  [2, 1.5, 4],
  [6, 4.5, 3.75],
];

/** Receivers strictly inside on the 0.25 m lattice (15 × 11 × 9). */
function insideLattice(): Vec3[] {
  const out: Vec3[] = [];
  for (let x = 0.25; x < 4; x += 0.25)
    for (let y = 0.25; y < 3; y += 0.25) for (let z = 0.25; z < 2.5; z += 0.25) out.push([x, y, z]);
  return out;
}

describe('watertight edges: a closed metal box, transmitter outside (acceptance 2)', () => {
  const scenes: Record<string, Scene> = {};
  beforeAll(async () => {
    for (const [name, [entry, files]] of Object.entries(FORMATS))
      scenes[name] = await loadScene(memoryFileSource(files), entry);
  });
  const inside = insideLattice();

  for (const name of Object.keys(FORMATS)) {
    it(`${name}: depth 1–6, every mechanism but transmission: no receiver inside gets a path`, () => {
      const scene = scenes[name]!;
      expect(scene.bbox.min).toEqual(MIN);
      expect(scene.bbox.max).toEqual(MAX);
      expect(scene.faces).toHaveLength(6);
      for (const tx of TXS) {
        for (let depth = 1; depth <= 6; depth++) {
          const options = { maxDepth: depth, transmission: false, scatteringRays: 300 };
          const leaks = tracePathsSync(scene, undefined, tx, inside, options)
            .map((paths, i) => ({ rx: inside[i]!, kinds: paths.map((p) => p.kind) }))
            .filter((r) => r.kinds.length > 0);
          expect(leaks, `Tx ${tx} depth ${depth}`).toEqual([]);
        }
      }
    });
  }

  it('the same search outside the box does find paths (the test can fail)', () => {
    const scene = scenes.OBJ!;
    const outside: Vec3[] = [
      [6, 1.5, 0.5],
      [2, -1.5, 1.25],
      [-2, 1.5, 4],
    ];
    const paths = tracePathsSync(scene, undefined, TXS[0]!, outside, { maxDepth: 2, transmission: false });
    expect(paths[0]!.some((p) => p.kind === 'los')).toBe(true);
    expect(paths[0]!.some((p) => p.kind === 'specular')).toBe(true);
    // behind the box, above its roof: diffracted over its top edge, never through it
    expect(paths[2]!.some((p) => p.kind === 'diffracted')).toBe(true);
    expect(paths[2]!.some((p) => p.kind === 'los')).toBe(false);
  });

  it('penetrable walls: transmission does reach inside, and only through the walls', () => {
    const scene = scenes.OBJ!;
    const [paths] = tracePathsSync(scene, undefined, TXS[0]!, [[2, 1.5, 1.25]], {
      maxDepth: 2,
      scattering: false,
      diffraction: false,
    });
    expect(paths!.length).toBeGreaterThan(0);
    for (const p of paths!) expect(p.interactions.some((i) => i.type === 'transmission')).toBe(true);
  });
});
