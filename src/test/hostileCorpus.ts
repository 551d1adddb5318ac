import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDeflate } from 'node:zlib';
import { crc32 } from '../engine/core/image.ts';
import { DEMO_ROOM_PATH, FIXTURES_DIR, sionnaScenePath } from './paths.ts';

/**
 * The reproducers of issue 16 ("hostile and broken inputs"), one per example of the issue:
 * small ones are files in test/fixtures/hostile/, large ones are generated here, FIFOs and
 * sparse multi-GiB files are made in the case's temporary folder. Each case gives the `rftwin`
 * command that reads it and what must happen: exit status and the one line it prints (an error
 * naming file and element, or for the valid-but-unusual inputs a warning and a correct load).
 * Used by src/cli/hostile.test.ts (status and message) and bench/hostile.bench.ts (wall time
 * and peak memory of each as a separate process).
 */
export const HOSTILE_DIR = join(FIXTURES_DIR, 'hostile');

export interface HostileCase {
  id: string;
  /** the example */
  example: string;
  /** put the case's files into `dir` (the command's working folder); returns rftwin's arguments */
  setup(dir: string): Promise<string[]>;
  /** 0: loads (`message` on stdout); 1: input error; 2: usage error (`message` on stderr) */
  status: 0 | 1 | 2;
  message: RegExp;
}

/** Copy fixture files (paths under test/fixtures/hostile) into dir, keeping their folders. */
function copy(dir: string, ...files: string[]) {
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    copyFileSync(join(HOSTILE_DIR, f), join(dir, f));
  }
}

const write = (dir: string, name: string, data: string | Uint8Array) => {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), data);
};

/** A FIFO (named pipe) nobody writes to: reading it with a plain open blocks forever. */
function fifo(dir: string, name: string) {
  execFileSync('mkfifo', [join(dir, name)]);
}

/** A sparse file of `bytes` (no disk used). */
function sparse(dir: string, name: string, bytes: number) {
  const fd = openSync(join(dir, name), 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
}

const frame = (file: string) => ({
  file_path: file,
  transform_matrix: [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 2],
    [0, 0, 0, 1],
  ],
});
const transforms = (frames: unknown[], w = 64, h = 48) =>
  `${JSON.stringify({ camera_model: 'OPENCV', fl_x: 100, fl_y: 100, w, h, frames })}\n`;

function pngChunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** zlib data of `bytes` zero bytes, compressed in 64 MiB pieces (1.5 GiB → about 1.5 MB). */
async function zeroZlib(bytes: number): Promise<Buffer> {
  const z = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  z.on('data', (d: Buffer) => parts.push(d));
  const done = new Promise((resolve) => z.on('end', resolve));
  const piece = Buffer.alloc(Math.min(bytes, 64 * 2 ** 20));
  for (let left = bytes; left > 0; left -= piece.length)
    z.write(piece.subarray(0, Math.min(left, piece.length)));
  z.end();
  await done;
  return Buffer.concat(parts);
}

/** A PNG whose header says width × height RGBA and whose image data is `idat`. */
function png(width: number, height: number, idat: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

const nested = (depth: number, open: string, close: string, inner: string) =>
  open.repeat(depth) + inner + close.repeat(depth);

/** Soundings CSV of `rows` valid rows around the floor_wall scene (about 45 bytes a row). */
export function soundingsCsv(rows: number): string {
  const lines = ['tx_x,tx_y,tx_z,rx_x,rx_y,rx_z,path_gain_db'];
  for (let i = 0; i < rows; i++) {
    const a = (i * 2.399963) % (2 * Math.PI);
    const r = 0.5 + (i % 1000) / 700;
    lines.push(
      `1,0,1.5,${(r * Math.cos(a)).toFixed(4)},${(r * Math.sin(a)).toFixed(4)},1.4,${(-60 - (i % 97) / 10).toFixed(1)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const FLOOR_WALL = sionnaScenePath('floor_wall');
const info = (file: string, ...rest: string[]) => ['info', file, ...rest];
const error = (file: string, element: string, problem: string) =>
  new RegExp(`^rftwin \\w+: ${escapeRegExp(file)}: ${escapeRegExp(element)}: ${problem}`);
function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
/** A fixture file read by `rftwin info`, expected to fail at `element` with `problem`. */
const infoError = (
  id: string,
  example: string,
  file: string,
  element: string,
  problem: string,
): HostileCase => ({
  id,
  example,
  async setup(dir) {
    copy(dir, file, 'meshes/plate.ply');
    return info(file);
  },
  status: 1,
  message: error(file, element, problem),
});

export const HOSTILE_CASES: HostileCase[] = [
  // ---- crashes
  infoError(
    'gltf-accessor-stride-0',
    'a 12-byte glTF buffer whose accessor claims 10⁸ VEC3 with byteStride 0 crashed Node',
    'accessor-stride-0.gltf',
    'bufferViews[0].byteStride',
    'expected an integer from 4 to 252, got 0',
  ),
  infoError(
    'gltf-accessor-count-1e8',
    'the same accessor without byteStride',
    'accessor-count-1e8.gltf',
    "mesh 'mesh_0' primitive 0 (accessors[0])",
    'has 100000000 vertices: the limit is 33,554,432; raise it with --limit vertices=N',
  ),
  infoError(
    'gltf-accessor-past-buffer',
    'an accessor of 10⁶ VEC3 over a 12-byte buffer',
    'accessor-past-buffer.gltf',
    'accessors[0]',
    '1000000 elements of 12 bytes \\(stride 12\\) from byte 0 need more than the 12 bytes',
  ),
  infoError(
    'gltf-node-dag',
    '30 glTF nodes each listing children [i+1, i+1]: 2³⁰ visits, out of memory after 272 s',
    'node-dag.gltf',
    'nodes[0].children[1]',
    'node 1 is already a child of nodes\\[0\\]: glTF nodes form trees',
  ),
  // ---- unbounded reads
  infoError(
    'xml-mesh-dev-zero',
    'a mesh filename="/dev/zero" grew past 4 GB in 10 s',
    'mesh-dev-zero.xml',
    'line 3 <shape id="plate">',
    "mesh '/dev/zero' is outside the folder of mesh-dev-zero.xml",
  ),
  {
    id: 'xml-mesh-dev-zero-allowed',
    example: 'the same with --allow-outside: /dev/zero is a device, not read',
    async setup(dir) {
      copy(dir, 'mesh-dev-zero.xml');
      return info('mesh-dev-zero.xml', '--allow-outside');
    },
    status: 1,
    message: error(
      'mesh-dev-zero.xml',
      'line 3 <shape id="plate">',
      'mesh /dev/zero is a character device, not a regular file',
    ),
  },
  {
    id: 'xml-mesh-dev-urandom-allowed',
    example: 'a mesh filename="/dev/urandom" (with --allow-outside)',
    async setup(dir) {
      copy(dir, 'mesh-dev-urandom.xml');
      return info('mesh-dev-urandom.xml', '--allow-outside');
    },
    status: 1,
    message: error(
      'mesh-dev-urandom.xml',
      'line 3 <shape id="plate">',
      'mesh /dev/urandom is a character device',
    ),
  },
  infoError(
    'xml-mesh-outside-folder',
    'a mesh path that climbs out of the scene folder',
    'mesh-outside-folder.xml',
    'line 3 <shape id="plate">',
    "mesh '../sionna/box/meshes/box.ply' is outside the folder",
  ),
  infoError(
    'gltf-buffer-dev-zero',
    'a glTF buffer uri "/dev/zero"',
    'buffer-dev-zero.gltf',
    'buffers[0].uri',
    "buffer '/dev/zero' is outside the folder",
  ),
  infoError(
    'gltf-buffer-file-url',
    'a glTF buffer uri "file:///dev/zero"',
    'buffer-file-url.gltf',
    'buffers[0].uri',
    "'file:///dev/zero' is a URL; only relative file paths and data: URIs are read",
  ),
  infoError(
    'obj-mtllib-dev-zero',
    'an OBJ "mtllib /dev/zero"',
    'mtllib-dev-zero.obj',
    'line 1',
    "mtllib '/dev/zero' is outside the folder",
  ),
  {
    id: 'transforms-file-path-dev-zero',
    example: 'a transforms.json frame file_path "/dev/zero"',
    async setup(dir) {
      copy(dir, 'views-dev-zero/transforms.json');
      return [
        'priors',
        '--scene',
        DEMO_ROOM_PATH,
        '--images',
        'views-dev-zero/transforms.json',
        '--offline',
        '--out',
        'p.json',
      ];
    },
    status: 1,
    message: error(
      'views-dev-zero/transforms.json',
      'frames[0].file_path',
      "image '/dev/zero' is outside the folder",
    ),
  },
  {
    id: 'fifo-scene',
    example: 'a FIFO as scene blocked forever',
    async setup(dir) {
      fifo(dir, 'scene.ply');
      return info('scene.ply');
    },
    status: 1,
    message: /^rftwin info: scene\.ply: is a FIFO \(named pipe\), not a regular file/,
  },
  {
    id: 'fifo-mesh',
    example: 'a FIFO as mesh blocked forever',
    async setup(dir) {
      write(
        dir,
        'scene.xml',
        '<scene version="2.1.0">\n<bsdf type="itu-radio-material" id="m"><string name="type" value="wood"/></bsdf>\n<shape type="ply" id="a"><string name="filename" value="pipe.ply"/><ref id="m"/></shape>\n</scene>\n',
      );
      fifo(dir, 'pipe.ply');
      return info('scene.xml');
    },
    status: 1,
    message: error(
      'scene.xml',
      'line 3 <shape id="a">',
      'mesh pipe\\.ply is a FIFO \\(named pipe\\), not a regular file',
    ),
  },
  {
    id: 'fifo-soundings',
    example: 'a FIFO as soundings blocked forever',
    async setup(dir) {
      fifo(dir, 'soundings.csv');
      return ['calibrate', '--scene', FLOOR_WALL, '--frequency', '28e9', '--soundings', 'soundings.csv'];
    },
    status: 1,
    message: /^rftwin calibrate: soundings\.csv: is a FIFO \(named pipe\), not a regular file/,
  },
  {
    id: 'png-bomb-header',
    example: 'a 1.5 MB PNG whose image data inflates to 1.5 GiB was decoded (4.4 GB RSS)',
    async setup(dir) {
      const idat = await zeroZlib((20000 * 4 + 1) * 20000);
      write(dir, 'views/bomb.png', png(20000, 20000, idat));
      write(dir, 'views/transforms.json', transforms([frame('bomb.png')], 20000, 20000));
      return [
        'priors',
        '--scene',
        DEMO_ROOM_PATH,
        '--images',
        'views/transforms.json',
        '--offline',
        '--out',
        'p.json',
      ];
    },
    status: 1,
    message: error(
      'views/bomb.png',
      'IHDR',
      '20000×20000 pixels need 1,600,020,000 bytes decoded, more than the limit of 536,870,912',
    ),
  },
  {
    id: 'png-bomb-small-header',
    example: 'the same image data behind a header that says 64×48',
    async setup(dir) {
      const idat = await zeroZlib(64 * 2 ** 20);
      write(dir, 'views/bomb.png', png(64, 48, idat));
      write(dir, 'views/transforms.json', transforms([frame('bomb.png')]));
      return [
        'priors',
        '--scene',
        DEMO_ROOM_PATH,
        '--images',
        'views/transforms.json',
        '--offline',
        '--out',
        'p.json',
      ];
    },
    status: 1,
    message: error(
      'views/bomb.png',
      'IDAT',
      'inflates to more than 12,336 bytes \\(64×48 pixels need that much\\)',
    ),
  },
  // ---- small files that took minutes
  {
    id: 'obj-20000-groups',
    example: 'an OBJ with 20,000 o groups (1.4 MB) took 167 s',
    async setup(dir) {
      const lines: string[] = [];
      for (let i = 0; i < 20000; i++) {
        const x = i % 200;
        const y = Math.floor(i / 200);
        lines.push(`o part${i}`, `v ${x} ${y} 0`, `v ${x + 0.5} ${y} 0`, `v ${x} ${y + 0.5} 0`, 'f -3 -2 -1');
      }
      write(dir, 'groups.obj', `${lines.join('\n')}\n`);
      return info('groups.obj');
    },
    status: 0,
    message: /^20000 objects, 20000 triangles, 20000 faces$/m,
  },
  {
    id: 'ply-100k-triangles-one-edge',
    example: 'a PLY of 100k triangles sharing one edge (2.5 MB) took 71 s',
    async setup(dir) {
      const n = 100_000;
      const lines = [
        'ply',
        'format ascii 1.0',
        `element vertex ${n + 2}`,
        'property float x',
        'property float y',
        'property float z',
        `element face ${n}`,
        'property list uchar int vertex_indices',
        'end_header',
        '0 0 0',
        '0 0 1',
      ];
      // fins around the z axis, each in its own plane
      for (let k = 0; k < n; k++) {
        const a = (Math.PI * k) / n;
        lines.push(`${Math.cos(a).toFixed(6)} ${Math.sin(a).toFixed(6)} 0.5`);
      }
      for (let k = 0; k < n; k++) lines.push(`3 0 1 ${k + 2}`);
      write(dir, 'fins.ply', `${lines.join('\n')}\n`);
      return info('fins.ply');
    },
    status: 0,
    message: /^1 objects, 100000 triangles, \d+ faces$/m,
  },
  {
    id: 'obj-face-100k-indices',
    example: 'one OBJ face with 100k indices took 87 s',
    async setup(dir) {
      const n = 100_000;
      const lines: string[] = [];
      for (let k = 0; k < n; k++) {
        const a = (2 * Math.PI * k) / n;
        lines.push(`v ${(10 * Math.cos(a)).toFixed(7)} ${(10 * Math.sin(a)).toFixed(7)} 0`);
      }
      lines.push(`f ${Array.from({ length: n }, (_, k) => k + 1).join(' ')}`);
      write(dir, 'disc.obj', `${lines.join('\n')}\n`);
      return info('disc.obj');
    },
    status: 0,
    message: /^1 objects, 99998 triangles, 1 faces$/m,
  },
  {
    id: 'transforms-10000-frames',
    example: 'a transforms.json with 10,000 frames did not finish in 300 s',
    async setup(dir) {
      write(dir, 'views/transforms.json', transforms(Array.from({ length: 10000 }, () => frame('a.png'))));
      return [
        'priors',
        '--scene',
        DEMO_ROOM_PATH,
        '--images',
        'views/transforms.json',
        '--offline',
        '--out',
        'p.json',
      ];
    },
    status: 1,
    message: error(
      'views/transforms.json',
      'frames',
      'has 10000 frames: the limit is 4,096; raise it with --limit frames=N',
    ),
  },
  // ---- silently wrong
  {
    id: 'materials-conductivity-1e400',
    example: 'conductivity: 1e400 became Infinity and synth wrote a CSV of NaN',
    async setup(dir) {
      copy(dir, 'conductivity-1e400.json', 'positions.csv');
      return [
        'synth',
        '--scene',
        FLOOR_WALL,
        '--frequency',
        '28e9',
        '--materials',
        'conductivity-1e400.json',
        '--tx',
        '1,0,1.5',
        '--rx-file',
        'positions.csv',
        '--out',
        's.csv',
      ];
    },
    status: 1,
    message: error(
      'conductivity-1e400.json',
      'line 2',
      'number 1e400 is out of range \\(it overflows to infinity\\)',
    ),
  },
  infoError(
    'xml-thickness-negative',
    'XML thickness −1 gave every metric null',
    'thickness-negative.xml',
    'line 2 <bsdf id="wall">',
    'thickness must be a number > 0 \\(m\\), got -1',
  ),
  infoError(
    'xml-thickness-zero',
    'XML accepted thickness ≤ 0',
    'thickness-zero.xml',
    'line 2 <bsdf id="wall">',
    'thickness must be a number > 0 \\(m\\), got 0',
  ),
  infoError(
    'xml-permittivity-below-1',
    'XML accepted ε′r ≤ 0',
    'permittivity-below-1.xml',
    'line 2 <bsdf id="wall">',
    'relative_permittivity must be a number ≥ 1, got 0.5',
  ),
  infoError(
    'xml-conductivity-negative',
    'XML accepted σ < 0',
    'conductivity-negative.xml',
    'line 2 <bsdf id="wall">',
    'conductivity must be a number ≥ 0 \\(S/m\\), got -2',
  ),
  infoError(
    'xml-scattering-above-1',
    'XML accepted S outside [0, 1]',
    'scattering-above-1.xml',
    'line 2 <bsdf id="wall">',
    'scattering_coefficient must be in \\[0, 1\\], got 1.5',
  ),
  infoError(
    'xml-singular-matrix',
    'a singular <matrix> gave NaN vertices (info printed a NaN bbox)',
    'singular-matrix.xml',
    'line 3 <matrix>',
    'is singular',
  ),
  infoError(
    'ply-index-nan',
    'ASCII PLY face index nan became 0',
    'index-nan.ply',
    'line 13',
    "face index 'nan' is not a finite number",
  ),
  infoError(
    'ply-index-4294967299',
    'ASCII PLY face index 4294967299 became 3',
    'index-4294967299.ply',
    'face 0',
    'vertex index 4294967299 outside 0…2',
  ),
  infoError(
    'ply-index-1.5',
    'ASCII PLY face index 1.5 became 1',
    'index-1.5.ply',
    'line 13',
    "face index '1.5' is not an integer index",
  ),
  {
    id: 'gltf-triangle-strip',
    example: 'glTF triangle strips were dropped without a word',
    async setup(dir) {
      copy(dir, 'triangle-strip.gltf');
      return info('triangle-strip.gltf');
    },
    status: 0,
    message:
      /1 objects, 2 triangles, 1 faces\n[\s\S]*warning: triangle-strip\.gltf: converted 1 triangle strip\/fan primitive/,
  },
  {
    id: 'gltf-triangle-fan',
    example: 'glTF triangle fans were dropped without a word',
    async setup(dir) {
      copy(dir, 'triangle-fan.gltf');
      return info('triangle-fan.gltf');
    },
    status: 0,
    message:
      /1 objects, 3 triangles, 1 faces\n[\s\S]*warning: triangle-fan\.gltf: converted 1 triangle strip\/fan primitive/,
  },
  {
    id: 'ply-vertex-idx',
    example: 'a PLY vertex_idx list was dropped without a word',
    async setup(dir) {
      copy(dir, 'list-vertex-idx.ply');
      return info('list-vertex-idx.ply');
    },
    status: 0,
    message: /^1 objects, 1 triangles, 1 faces$/m,
  },
  {
    id: 'ply-facet',
    example: 'a PLY facet element was dropped without a word',
    async setup(dir) {
      copy(dir, 'element-facet.ply');
      return info('element-facet.ply');
    },
    status: 0,
    message: /^1 objects, 1 triangles, 1 faces$/m,
  },
  infoError(
    'xml-obj-shape-ply-file',
    '<shape type="obj"> pointing at a PLY was dropped',
    'obj-type-ply-file.xml',
    'line 3 <shape id="plate">',
    "shape type is 'obj' but meshes/plate\\.ply is a PLY file",
  ),
  infoError(
    'obj-empty',
    'an empty OBJ loaded as "0 objects" with exit 0',
    'empty.obj',
    'line 1',
    "end of file without any face \\('f' line\\)",
  ),
  infoError(
    'obj-no-faces',
    'an OBJ of vertices only',
    'comments-only.obj',
    'line 3',
    "end of file without any face \\('f' line\\): 2 vertices",
  ),
  infoError(
    'xml-duplicate-bsdf',
    'a second <bsdf id="itu_brick"> silently turned all walls to metal',
    'duplicate-bsdf.xml',
    'line 3 <bsdf id="itu_brick">',
    "bsdf id 'itu_brick' is already defined on line 2",
  ),
  {
    id: 'xml-proto-ids',
    example: 'a __proto__ material id was dropped',
    async setup(dir) {
      copy(dir, 'proto-ids.xml', 'meshes/plate.ply');
      return info('proto-ids.xml');
    },
    status: 0,
    message: /^ {2}__proto__ +brick +εr=3\.9100[^\n]*\n {2}constructor +metal /m,
  },
  infoError(
    'xml-hex-number',
    '0x10 parsed as a number',
    'hex-number.xml',
    'line 2 <bsdf id="wall">',
    "parameter 'thickness' '0x10' is not a decimal number",
  ),
  {
    id: 'csv-binary-number',
    example: '0b101 parsed as a number',
    async setup(dir) {
      copy(dir, 'binary-number.csv');
      return ['calibrate', '--scene', FLOOR_WALL, '--frequency', '28e9', '--soundings', 'binary-number.csv'];
    },
    status: 1,
    message: error('binary-number.csv', 'line 3', "column rx_x: '0b101' is not a decimal number"),
  },
  {
    id: 'soundings-json-tx-equals-rx',
    example: 'soundings JSON accepted tx = rx',
    async setup(dir) {
      copy(dir, 'tx-equals-rx.json');
      return ['calibrate', '--scene', FLOOR_WALL, '--frequency', '28e9', '--soundings', 'tx-equals-rx.json'];
    },
    status: 1,
    message: error('tx-equals-rx.json', 'line 16', 'Tx and Rx are at the same position'),
  },
  {
    id: 'soundings-json-infinity',
    example: 'soundings JSON accepted ±Infinity',
    async setup(dir) {
      copy(dir, 'gain-1e400.json');
      return ['calibrate', '--scene', FLOOR_WALL, '--frequency', '28e9', '--soundings', 'gain-1e400.json'];
    },
    status: 1,
    message: error('gain-1e400.json', 'line 2', 'number -1e400 is out of range'),
  },
  // ---- raw errors without file or element
  infoError(
    'gltf-null',
    '"null" as glTF: TypeError',
    'null.gltf',
    'JSON',
    'expected a glTF object, got null',
  ),
  infoError(
    'xml-itu-type-constructor',
    "material type 'constructor': bands.find is not a function",
    'itu-type-constructor.xml',
    'line 2 <bsdf id="wall">',
    "itu-radio-material type 'constructor' is not one of",
  ),
  {
    id: 'xml-twosided-10000',
    example: '10,000 nested twosided: Maximum call stack size exceeded',
    async setup(dir) {
      copy(dir, 'meshes/plate.ply');
      const bsdf = nested(
        10000,
        '<bsdf type="twosided">',
        '</bsdf>',
        '<bsdf type="itu-radio-material"><string name="type" value="wood"/></bsdf>',
      ).replace('<bsdf type="twosided">', '<bsdf type="twosided" id="m">');
      write(
        dir,
        'deep.xml',
        `<scene version="2.1.0">\n${bsdf}\n<shape type="ply" id="a"><string name="filename" value="meshes/plate.ply"/><ref id="m"/></shape>\n</scene>\n`,
      );
      return info('deep.xml');
    },
    status: 0,
    message:
      /^ {2}m +wood [^\n]*\n[\s\S]*warning: deep\.xml: line 2 <bsdf id="m">: 10000 nested twosided wrappers; the innermost bsdf is used/m,
  },
  infoError(
    'gltf-node-cycle',
    'a glTF node cycle: Maximum call stack size exceeded',
    'node-cycle.gltf',
    'nodes[2].children[0]',
    'node 0 is already a child of the scene',
  ),
  {
    id: 'json-5000-deep-soundings',
    example: 'JSON nested 5,000 deep: Maximum call stack size exceeded',
    async setup(dir) {
      write(dir, 'deep.json', `{"links": ${nested(5000, '[', ']', '')}}\n`);
      return ['calibrate', '--scene', FLOOR_WALL, '--frequency', '28e9', '--soundings', 'deep.json'];
    },
    status: 1,
    message: error('deep.json', 'line 1', 'each link must be an object with tx, rx and metrics'),
  },
  {
    id: 'json-5000-deep-gltf',
    example: 'a glTF nested 5,000 deep',
    async setup(dir) {
      write(dir, 'deep.gltf', `{"asset": {"version": "2.0"}, "nodes": ${nested(5000, '[', ']', '')}}\n`);
      return info('deep.gltf');
    },
    status: 1,
    message: error('deep.gltf', 'nodes[0]', 'expected an object'),
  },
  infoError(
    'ply-binary-vertex-4294967295',
    'binary PLY element vertex 4294967295: Invalid typed array length',
    'binary-vertex-4294967295.ply',
    'header',
    'declares 4294967295 vertices: the limit is 33,554,432',
  ),
  infoError(
    'glb-short',
    'a GLB under 12 bytes: DataView error',
    'short.glb',
    'GLB header',
    'is 8 bytes, a GLB header needs 12',
  ),
  infoError(
    'gltf-bad-base64',
    'bad base64 in a data URI',
    'bad-base64.gltf',
    'buffers[0].uri',
    'is not valid base64',
  ),
  infoError(
    'gltf-uri-percent',
    'a buffer uri "%"',
    'uri-percent.gltf',
    'buffers[0].uri',
    "'%' is not a valid URI",
  ),
  infoError(
    'xml-charref-110000',
    '&#x110000; in XML',
    'bad-charref.xml',
    'line 2',
    'character reference &#x110000; is not a Unicode character',
  ),
  {
    id: 'png-corrupt-zlib',
    example: 'corrupt zlib image data',
    async setup(dir) {
      copy(dir, 'views-corrupt-png/transforms.json', 'views-corrupt-png/corrupt.png');
      return [
        'priors',
        '--scene',
        DEMO_ROOM_PATH,
        '--images',
        'views-corrupt-png/transforms.json',
        '--offline',
        '--out',
        'p.json',
      ];
    },
    status: 1,
    message: error('views-corrupt-png/corrupt.png', 'IDAT', 'corrupt compressed data'),
  },
  {
    id: 'directory-as-scene',
    example: 'a directory as input: EISDIR',
    async setup(dir) {
      mkdirSync(join(dir, 'folder.ply'));
      return info('folder.ply');
    },
    status: 1,
    message: /^rftwin info: folder\.ply: is a folder, not a file$/,
  },
  {
    id: 'directory-as-soundings',
    example: 'a directory as soundings',
    async setup(dir) {
      mkdirSync(join(dir, 'soundings.csv'));
      return ['calibrate', '--scene', FLOOR_WALL, '--frequency', '28e9', '--soundings', 'soundings.csv'];
    },
    status: 1,
    message: /^rftwin calibrate: soundings\.csv: is a folder, not a file$/,
  },
  {
    id: 'file-over-2-gib',
    example: 'a file over 2 GiB: raw RangeError',
    async setup(dir) {
      sparse(dir, 'huge.ply', 2.5 * 2 ** 30);
      return info('huge.ply');
    },
    status: 1,
    message:
      /^rftwin info: huge\.ply: is 2,684,354,560 bytes, more than the file size limit \(the limit is 1\.0 GiB; raise it with --limit file-bytes=N\)$/,
  },
  // ---- output integrity
  {
    id: 'output-exists',
    example: 'existing files were overwritten silently',
    async setup(dir) {
      copy(dir, 'positions.csv');
      write(dir, 'trace.json', 'precious\n');
      return [
        'trace',
        '--scene',
        FLOOR_WALL,
        '--frequency',
        '28e9',
        '--tx',
        '1,0,1.5',
        '--rx',
        '2,0.5,1.4',
        '--out',
        'trace.json',
      ];
    },
    status: 2,
    message: /^rftwin trace: --out trace\.json exists; give --force to overwrite it, or another file name$/,
  },
];

/** The 10⁶-row calibrate case of the issue (a separate process: its memory is measured). */
export const MILLION_ROWS_CASE: HostileCase = {
  id: 'calibrate-1e6-rows',
  example: 'calibrate with a valid 10⁶-row soundings CSV ran out of heap after 317 s with no progress',
  async setup(dir) {
    write(dir, 'soundings.csv', soundingsCsv(1_000_000));
    return [
      'calibrate',
      '--scene',
      FLOOR_WALL,
      '--frequency',
      '28e9',
      '--soundings',
      'soundings.csv',
      '--out',
      'c.json',
    ];
  },
  status: 1,
  message:
    /^rftwin calibrate: soundings\.csv: 1,000,000 rows: more soundings than calibrate takes \(--max-links 10000\)/m,
};
