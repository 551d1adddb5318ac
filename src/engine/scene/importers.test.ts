import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH, SIONNA_SCENE_NAMES, SIONNA_SCENES_DIR, sionnaScenePath } from '../../test/paths.ts';
import { InputError } from '../core/errors.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { memoryFileSource } from './fileSource.ts';
import { loadScene } from './load.ts';
import { parsePly, writePly } from './ply.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'rftwin-import-'));
const load = (p: string) => loadScene(nodeFileSource, p);

describe('Sionna scenes load', () => {
  const expected: Record<string, { objects: Record<string, [string, number, number]> }> = {
    // object: [material id, triangles, faces]
    box: { objects: { box: ['box-mat', 12, 6] } },
    box_one_screen: { objects: { box: ['box-mat', 12, 6], screen: ['screen-mat', 2, 1] } },
    double_reflector: {
      objects: { large_reflector: ['mat-itu_metal', 2, 1], small_reflector: ['mat-itu_metal', 2, 1] },
    },
    floor_wall: { objects: { floor: ['mat-itu_concrete', 2, 1], wall: ['mat-itu_brick', 2, 1] } },
    simple_reflector: { objects: { reflector: ['reflector-mat', 2, 1] } },
    simple_street_canyon: {
      objects: {
        building_1: ['mat-itu_glass', 12, 6],
        building_2: ['mat-itu_brick', 12, 6],
        floor: ['mat-itu_concrete', 2, 1],
      },
    },
  };
  for (const name of SIONNA_SCENE_NAMES) {
    it(name, async () => {
      const scene = await load(sionnaScenePath(name));
      // the canyon's building bottoms lie in the floor's plane (coincidentFaces.ts): one warning
      // per building, nothing else
      if (name === 'simple_street_canyon') {
        expect(scene.warnings).toHaveLength(6);
        for (const w of scene.warnings)
          expect(w).toMatch(
            /^objects '(building_\d)' and 'floor' have coincident surfaces.* take the material of '\1'/,
          );
      } else expect(scene.warnings).toEqual([]);
      for (const [obj, [mat, tris, faces]] of Object.entries(expected[name]!.objects)) {
        const o = scene.objects.find((x) => x.name === obj);
        expect(o, obj).toBeDefined();
        expect(o!.materialId).toBe(mat);
        expect(o!.triangleCount).toBe(tris);
        expect(o!.faceIds.length).toBe(faces);
      }
      // every face's triangles lie in its plane
      for (const f of scene.faces) {
        for (const t of f.triangles) {
          for (let v = 0; v < 3; v++) {
            const p = [0, 1, 2].map((k) => scene.positions[9 * t + 3 * v + k]!);
            expect(
              Math.abs(p[0]! * f.normal[0] + p[1]! * f.normal[1] + p[2]! * f.normal[2] - f.offset),
            ).toBeLessThan(1e-5);
          }
        }
      }
    });
  }

  it('box: itu-radio-material metal, thickness 1 m; bounding box from the README', async () => {
    const scene = await load(sionnaScenePath('box'));
    expect(scene.materials['box-mat']!.spec).toMatchObject({ kind: 'itu', ituName: 'metal', thickness: 1 });
    expect(scene.bbox.min).toEqual([-5, -5, 0]);
    expect(scene.bbox.max).toEqual([5, 5, 5]);
  });

  it('legacy mat-itu_* ids inside twosided wrappers map to ITU materials', async () => {
    const scene = await load(sionnaScenePath('floor_wall'));
    expect(scene.materials['mat-itu_concrete']!.spec).toMatchObject({
      kind: 'itu',
      ituName: 'concrete',
      thickness: 0.1,
    });
    expect(scene.materials['mat-itu_brick']!.spec).toMatchObject({ kind: 'itu', ituName: 'brick' });
  });

  it('the demo room: 9 objects, walls and floor one face each, boxes six faces', async () => {
    const scene = await load(DEMO_ROOM_PATH);
    expect(scene.objects).toHaveLength(9);
    expect(scene.faces).toHaveLength(5 + 4 * 6);
    expect(Object.keys(scene.materials).sort()).toEqual([
      'itu_brick',
      'itu_chipboard',
      'itu_concrete',
      'itu_marble',
      'itu_wood',
    ]);
  });
});

describe('Mitsuba XML features', () => {
  const reflector = join(SIONNA_SCENES_DIR, 'simple_reflector', 'meshes', 'reflector.ply');
  const writeScene = (body: string) => {
    const dir = tmp();
    writeFileSync(join(dir, 'plate.ply'), readFileSync(reflector));
    writeFileSync(join(dir, 'scene.xml'), `<scene version="2.1.0">\n${body}\n</scene>\n`);
    return join(dir, 'scene.xml');
  };

  it('radio-material with explicit parameters and a to_world transform (scale, rotate, translate in order)', async () => {
    const path = writeScene(`
  <bsdf type="twosided" id="custom"><bsdf type="radio-material">
    <float name="relative_permittivity" value="4.5"/><float name="conductivity" value="0.02"/>
    <float name="scattering_coefficient" value="0.3"/><float name="xpd_coefficient" value="0.1"/>
    <float name="thickness" value="0.2"/>
  </bsdf></bsdf>
  <shape type="ply" id="mesh-plate">
    <string name="filename" value="plate.ply"/>
    <ref id="custom" name="bsdf"/>
    <transform name="to_world">
      <scale value="2"/>
      <rotate x="1" angle="90"/>
      <translate x="1" y="2" z="3"/>
    </transform>
  </shape>`);
    const scene = await load(path);
    expect(scene.materials.custom!.spec).toEqual({
      kind: 'custom',
      relativePermittivity: 4.5,
      conductivity: 0.02,
      scatteringCoefficient: 0.3,
      xpdCoefficient: 0.1,
      thickness: 0.2,
    });
    // The 1 m plate in z = 0 becomes a 2 m plate in the plane y = 2 (rotated about x), centred at (1, 2, 3).
    expect(scene.bbox.min[0]).toBeCloseTo(0, 6);
    expect(scene.bbox.max[0]).toBeCloseTo(2, 6);
    expect(scene.bbox.min[1]).toBeCloseTo(2, 6);
    expect(scene.bbox.max[1]).toBeCloseTo(2, 6);
    expect(scene.bbox.min[2]).toBeCloseTo(2, 6);
    expect(scene.bbox.max[2]).toBeCloseTo(4, 6);
    expect(Math.abs(scene.faces[0]!.normal[1])).toBeCloseTo(1, 12);
  });

  it('a row-major <matrix> transform', async () => {
    const path = writeScene(`
  <bsdf type="itu-radio-material" id="m"><string name="type" value="wood"/></bsdf>
  <shape type="ply" id="p"><string name="filename" value="plate.ply"/><ref id="m" name="bsdf"/>
    <transform name="to_world"><matrix value="1 0 0 10  0 1 0 20  0 0 1 30  0 0 0 1"/></transform></shape>`);
    const scene = await load(path);
    expect(scene.bbox.min).toEqual([9.5, 19.5, 30]);
    expect(scene.materials.m!.spec).toMatchObject({ kind: 'itu', ituName: 'wood', thickness: 0.1 });
  });
});

describe('PLY', () => {
  it('ASCII and binary give the same mesh, polygons are fan-triangulated', () => {
    const ascii = new TextEncoder().encode(
      'ply\nformat ascii 1.0\ncomment quad\nelement vertex 4\nproperty float x\nproperty float y\nproperty float z\nproperty float u\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0 0\n1 0 0 0\n1 1 0 0\n0 1 0 0\n4 0 1 2 3\n',
    );
    const a = parsePly(ascii, 'quad.ply');
    expect(Array.from(a.indices)).toEqual([0, 1, 2, 0, 2, 3]);
    const b = parsePly(writePly(a.vertices, a.indices), 'quad-bin.ply');
    expect(Array.from(b.vertices)).toEqual(Array.from(a.vertices));
    expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
  });

  it('a PLY alone takes its material from the file name', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'Wall_brick.ply'), writePly([0, 0, 0, 1, 0, 0, 0, 1, 0], [0, 1, 2]));
    const scene = await load(join(dir, 'Wall_brick.ply'));
    expect(scene.objects[0]!.materialId).toBe('Wall_brick');
    expect(scene.materials.Wall_brick!.spec).toMatchObject({ kind: 'itu', ituName: 'brick' });
  });
});

describe('OBJ + MTL and glTF', () => {
  it('OBJ objects take materials from usemtl names; unmatched ones are reported unknown', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'room.mtl'),
      'newmtl itu_concrete\nKd 0.5 0.5 0.5\nnewmtl Wall_brick\nnewmtl Material.001\n',
    );
    writeFileSync(
      join(dir, 'room.obj'),
      [
        'mtllib room.mtl',
        'v 0 0 0',
        'v 4 0 0',
        'v 4 4 0',
        'v 0 4 0',
        'v 0 0 3',
        'v 0 4 3',
        'v 4 0 3',
        'o floor',
        'usemtl itu_concrete',
        'f 1 2 3 4',
        'o wall',
        'usemtl Wall_brick',
        'f 1 4 6 5',
        'o thing',
        'usemtl Material.001',
        'f 1/1/1 5/1/1 7/1/1',
      ].join('\n'),
    );
    const scene = await load(join(dir, 'room.obj'));
    expect(scene.objects.map((o) => [o.name, o.materialId, o.faceIds.length])).toEqual([
      ['floor', 'itu_concrete', 1],
      ['wall', 'Wall_brick', 1],
      ['thing', 'Material.001', 1],
    ]);
    expect(scene.materials.Wall_brick!.spec).toMatchObject({ ituName: 'brick' });
    expect(scene.materials['Material.001']!.spec.kind).toBe('unknown');
    expect(scene.warnings.join('\n')).toMatch(/thing.*not recognised/);
  });

  it('GLB: node transforms applied, primitive material names kept', async () => {
    const positions = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]);
    const indices = new Uint16Array([0, 1, 2, 0]); // padded to 4-byte multiple
    const bin = new Uint8Array(positions.byteLength + indices.byteLength);
    bin.set(new Uint8Array(positions.buffer), 0);
    bin.set(new Uint8Array(indices.buffer), positions.byteLength);
    const json = {
      asset: { version: '2.0' },
      scene: 0,
      scenes: [{ nodes: [0] }],
      nodes: [{ name: 'Panel', mesh: 0, translation: [0, 0, 2] }],
      meshes: [{ name: 'panel', primitives: [{ attributes: { POSITION: 0 }, indices: 1, material: 0 }] }],
      materials: [{ name: 'glass_pane' }],
      buffers: [{ byteLength: bin.length }],
      bufferViews: [
        { buffer: 0, byteOffset: 0, byteLength: 36 },
        { buffer: 0, byteOffset: 36, byteLength: 6 },
      ],
      accessors: [
        { bufferView: 0, componentType: 5126, count: 3, type: 'VEC3' },
        { bufferView: 1, componentType: 5123, count: 3, type: 'SCALAR' },
      ],
    };
    let jsonBytes = new TextEncoder().encode(JSON.stringify(json));
    const pad = (4 - (jsonBytes.length % 4)) % 4;
    jsonBytes = new TextEncoder().encode(JSON.stringify(json) + ' '.repeat(pad));
    const total = 12 + 8 + jsonBytes.length + 8 + bin.length;
    const glb = new Uint8Array(total);
    const view = new DataView(glb.buffer);
    glb.set(new TextEncoder().encode('glTF'), 0);
    view.setUint32(4, 2, true);
    view.setUint32(8, total, true);
    view.setUint32(12, jsonBytes.length, true);
    view.setUint32(16, 0x4e4f534a, true);
    glb.set(jsonBytes, 20);
    view.setUint32(20 + jsonBytes.length, bin.length, true);
    view.setUint32(24 + jsonBytes.length, 0x004e4942, true);
    glb.set(bin, 28 + jsonBytes.length);
    const scene = await loadScene(memoryFileSource(new Map([['panel.glb', glb]])), 'panel.glb');
    expect(scene.objects[0]!.name).toBe('Panel');
    expect(scene.objects[0]!.materialId).toBe('glass_pane');
    expect(scene.materials.glass_pane!.spec).toMatchObject({ kind: 'itu', ituName: 'glass' });
    expect(scene.bbox.min[2]).toBe(2);
    // truncated: the binary chunk cut short
    await expect(
      loadScene(memoryFileSource(new Map([['p.glb', glb.subarray(0, total - 10)]])), 'p.glb'),
    ).rejects.toThrow(/p\.glb: GLB header: declares \d+ bytes/);
  });

  it('dropped files: a Sionna XML and its meshes without their folder still resolve', async () => {
    const dir = join(SIONNA_SCENES_DIR, 'floor_wall');
    const files = new Map([
      ['floor_wall.xml', readFileSync(join(dir, 'floor_wall.xml'))],
      ['floor.ply', readFileSync(join(dir, 'meshes', 'floor.ply'))],
      ['wall.ply', readFileSync(join(dir, 'meshes', 'wall.ply'))],
    ]);
    const scene = await loadScene(memoryFileSource(files), 'floor_wall.xml');
    expect(scene.objects.map((o) => o.name)).toEqual(['floor', 'wall']);
  });
});

describe('malformed input gives one-line errors naming file and element', () => {
  const expectInputError = async (p: Promise<unknown>, pattern: RegExp) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(pattern);
    expect((err as Error).message).not.toContain('\n');
  };

  it('truncated binary PLY', async () => {
    const dir = tmp();
    const full = readFileSync(join(SIONNA_SCENES_DIR, 'box', 'meshes', 'box.ply'));
    writeFileSync(join(dir, 'box.ply'), full.subarray(0, full.length - 30));
    await expectInputError(
      load(join(dir, 'box.ply')),
      /box\.ply: face \d+: file ends after \d+ of 12 face records \(truncated/,
    );
  });

  it('XML referencing a missing mesh file', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 's.xml'),
      '<scene version="2.1.0">\n<bsdf type="itu-radio-material" id="m"><string name="type" value="metal"/></bsdf>\n<shape type="ply" id="mesh-x">\n<string name="filename" value="meshes/missing.ply"/><ref id="m" name="bsdf"/></shape>\n</scene>',
    );
    await expectInputError(
      load(join(dir, 's.xml')),
      /s\.xml: line 3 <shape id="mesh-x">: references mesh file 'meshes\/missing\.ply' which does not exist/,
    );
  });

  it('unknown bsdf type', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 's.xml'), '<scene version="2.1.0">\n  <bsdf type="velvet" id="m"/>\n</scene>');
    await expectInputError(
      load(join(dir, 's.xml')),
      /s\.xml: line 2 <bsdf id="m">: unknown bsdf type 'velvet'/,
    );
  });

  it('unknown ITU material type and undefined bsdf reference', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'a.xml'),
      '<scene>\n<bsdf type="itu-radio-material" id="m"><string name="type" value="unobtainium"/></bsdf>\n</scene>',
    );
    await expectInputError(load(join(dir, 'a.xml')), /a\.xml: line 2 .*'unobtainium' is not one of/);
    writeFileSync(
      join(dir, 'b.xml'),
      '<scene>\n<shape type="ply" id="s"><string name="filename" value="x.ply"/><ref id="nope"/></shape>\n</scene>',
    );
    await expectInputError(load(join(dir, 'b.xml')), /b\.xml: line 2 <shape id="s">: references bsdf 'nope'/);
  });

  it('XML that is cut off', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'cut.xml'), '<scene version="2.1.0">\n  <bsdf type="twosided" id="m">\n');
    await expectInputError(load(join(dir, 'cut.xml')), /cut\.xml: line 2: <bsdf> is never closed/);
  });

  it('NaN vertex', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'nan_wall.ply'),
      'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 nan 0\n0 1 0\n3 0 1 2\n',
    );
    await expectInputError(
      load(join(dir, 'nan_wall.ply')),
      /nan_wall\.ply: line 11: vertex 1 y 'nan' is not a finite number/,
    );
  });

  it('bad OBJ face index', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.obj'), 'v 0 0 0\nv 1 0 0\nf 1 2 7\n');
    await expectInputError(load(join(dir, 'bad.obj')), /bad\.obj: line 3: face index '7'/);
  });

  it('unsupported extension and missing file', async () => {
    await expectInputError(load('/nonexistent/scene.xml'), /scene\.xml: file not found/);
    const dir = tmp();
    writeFileSync(join(dir, 'scene.fbx'), 'x');
    await expectInputError(load(join(dir, 'scene.fbx')), /unsupported scene format '\.fbx'/);
  });
});
