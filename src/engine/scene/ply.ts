import { InputError } from '../core/errors.ts';

/** Vertices (xyz) and triangle indices read from a PLY file (faces fan-triangulated). */
export interface PlyMesh {
  vertices: Float64Array;
  indices: Uint32Array;
}

type Scalar = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';
const SCALAR_ALIASES: Record<string, Scalar> = {
  char: 'int8',
  int8: 'int8',
  uchar: 'uint8',
  uint8: 'uint8',
  short: 'int16',
  int16: 'int16',
  ushort: 'uint16',
  uint16: 'uint16',
  int: 'int32',
  int32: 'int32',
  uint: 'uint32',
  uint32: 'uint32',
  float: 'float32',
  float32: 'float32',
  double: 'float64',
  float64: 'float64',
};
const SIZE: Record<Scalar, number> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  float64: 8,
};

interface Property {
  name: string;
  type: Scalar;
  /** for list properties: the type of the count */
  countType?: Scalar;
}
interface Element {
  name: string;
  count: number;
  properties: Property[];
}

function readScalar(view: DataView, offset: number, type: Scalar, little: boolean): number {
  switch (type) {
    case 'int8':
      return view.getInt8(offset);
    case 'uint8':
      return view.getUint8(offset);
    case 'int16':
      return view.getInt16(offset, little);
    case 'uint16':
      return view.getUint16(offset, little);
    case 'int32':
      return view.getInt32(offset, little);
    case 'uint32':
      return view.getUint32(offset, little);
    case 'float32':
      return view.getFloat32(offset, little);
    case 'float64':
      return view.getFloat64(offset, little);
  }
}

/** Parse a PLY file (ascii, binary_little_endian, binary_big_endian). `file` names it in errors. */
export function parsePly(data: Uint8Array, file: string): PlyMesh {
  // The header is ASCII and ends with "end_header\n"; find it in the raw bytes.
  const headLimit = Math.min(data.length, 64 * 1024);
  const headText = new TextDecoder('latin1').decode(data.subarray(0, headLimit));
  if (!headText.startsWith('ply'))
    throw new InputError(file, 'line 1', "not a PLY file (expected 'ply' magic)");
  const endMatch = /end_header\r?\n/.exec(headText);
  if (!endMatch) throw new InputError(file, 'header', "missing 'end_header' (truncated or not PLY)");
  const bodyStart = endMatch.index + endMatch[0].length;
  const headerLines = headText.slice(0, endMatch.index).split(/\r?\n/);
  let format = '';
  const elements: Element[] = [];
  headerLines.forEach((raw, i) => {
    const line = raw.trim();
    const parts = line.split(/\s+/);
    const where = `header line ${i + 1}`;
    switch (parts[0]) {
      case 'format':
        format = parts[1] ?? '';
        if (!['ascii', 'binary_little_endian', 'binary_big_endian'].includes(format)) {
          throw new InputError(file, where, `unsupported format '${format}'`);
        }
        break;
      case 'element': {
        const count = Number(parts[2]);
        if (!parts[1] || !Number.isInteger(count) || count < 0)
          throw new InputError(file, where, `bad element line '${line}'`);
        elements.push({ name: parts[1], count, properties: [] });
        break;
      }
      case 'property': {
        const el = elements.at(-1);
        if (!el) throw new InputError(file, where, 'property before any element');
        if (parts[1] === 'list') {
          const countType = SCALAR_ALIASES[parts[2] ?? ''];
          const type = SCALAR_ALIASES[parts[3] ?? ''];
          if (!countType || !type || !parts[4])
            throw new InputError(file, where, `bad list property '${line}'`);
          el.properties.push({ name: parts[4], type, countType });
        } else {
          const type = SCALAR_ALIASES[parts[1] ?? ''];
          if (!type || !parts[2]) throw new InputError(file, where, `bad property '${line}'`);
          el.properties.push({ name: parts[2], type });
        }
        break;
      }
      default:
        break; // ply, comment, obj_info
    }
  });
  if (!format) throw new InputError(file, 'header', "missing 'format' line");
  const vertexEl = elements.find((e) => e.name === 'vertex');
  if (!vertexEl) throw new InputError(file, 'header', "no 'vertex' element");
  const axes = ['x', 'y', 'z'].map((a) => vertexEl.properties.findIndex((p) => p.name === a && !p.countType));
  if (axes.some((i) => i < 0)) throw new InputError(file, 'header', 'vertex element lacks x, y or z');
  const vertices = new Float64Array(vertexEl.count * 3);
  const indices: number[] = [];
  const pushFace = (list: number[], faceNo: number) => {
    if (list.length < 3)
      throw new InputError(file, `face ${faceNo}`, `has ${list.length} vertices, expected ≥ 3`);
    for (let k = 1; k + 1 < list.length; k++) indices.push(list[0]!, list[k]!, list[k + 1]!);
  };
  const isFaceList = (el: Element, p: Property) =>
    el.name === 'face' &&
    p.countType !== undefined &&
    (p.name === 'vertex_indices' || p.name === 'vertex_index');

  if (format === 'ascii') {
    const text = new TextDecoder('latin1').decode(data.subarray(bodyStart));
    const lines = text.split(/\r?\n/);
    const headerLineCount = headerLines.length + 1;
    let li = 0;
    const nextLine = (el: Element, i: number): { tokens: string[]; lineNo: number } => {
      while (li < lines.length && lines[li]!.trim() === '') li++;
      if (li >= lines.length) {
        throw new InputError(
          file,
          `${el.name} ${i}`,
          `file ends after ${i} of ${el.count} ${el.name} records (truncated)`,
        );
      }
      const lineNo = headerLineCount + li + 1;
      return { tokens: lines[li++]!.trim().split(/\s+/), lineNo };
    };
    for (const el of elements) {
      for (let i = 0; i < el.count; i++) {
        const { tokens, lineNo } = nextLine(el, i);
        let t = 0;
        const take = (): number => {
          if (t >= tokens.length)
            throw new InputError(file, `line ${lineNo}`, `too few values for ${el.name} ${i}`);
          const v = Number(tokens[t++]);
          if (Number.isNaN(v) && tokens[t - 1]!.toLowerCase() !== 'nan') {
            throw new InputError(file, `line ${lineNo}`, `'${tokens[t - 1]}' is not a number`);
          }
          return v;
        };
        el.properties.forEach((p, pi) => {
          if (p.countType) {
            const n = take();
            const list = Array.from({ length: n }, take);
            if (isFaceList(el, p)) pushFace(list, i);
          } else {
            const v = take();
            if (el === vertexEl) {
              const axis = axes.indexOf(pi);
              if (axis >= 0) vertices[3 * i + axis] = v;
            }
          }
        });
      }
    }
  } else {
    const little = format === 'binary_little_endian';
    const view = new DataView(data.buffer, data.byteOffset + bodyStart, data.length - bodyStart);
    let off = 0;
    const need = (bytes: number, el: Element, i: number) => {
      if (off + bytes > view.byteLength) {
        throw new InputError(
          file,
          `${el.name} ${i}`,
          `file ends after ${i} of ${el.count} ${el.name} records (truncated at byte ${bodyStart + off})`,
        );
      }
    };
    for (const el of elements) {
      for (let i = 0; i < el.count; i++) {
        el.properties.forEach((p, pi) => {
          if (p.countType) {
            need(SIZE[p.countType], el, i);
            const n = readScalar(view, off, p.countType, little);
            off += SIZE[p.countType];
            need(n * SIZE[p.type], el, i);
            const list: number[] = [];
            for (let k = 0; k < n; k++, off += SIZE[p.type]) list.push(readScalar(view, off, p.type, little));
            if (isFaceList(el, p)) pushFace(list, i);
          } else {
            need(SIZE[p.type], el, i);
            const v = readScalar(view, off, p.type, little);
            off += SIZE[p.type];
            if (el === vertexEl) {
              const axis = axes.indexOf(pi);
              if (axis >= 0) vertices[3 * i + axis] = v;
            }
          }
        });
      }
    }
  }
  return { vertices, indices: Uint32Array.from(indices) };
}

/** Write a binary little-endian PLY (float x, y, z; uchar/int faces) as Sionna and Mitsuba read it. */
export function writePly(vertices: ArrayLike<number>, indices: ArrayLike<number>): Uint8Array {
  const nv = vertices.length / 3;
  const nf = indices.length / 3;
  const header =
    `ply\nformat binary_little_endian 1.0\nelement vertex ${nv}\nproperty float x\nproperty float y\nproperty float z\n` +
    `element face ${nf}\nproperty list uchar int vertex_indices\nend_header\n`;
  const head = new TextEncoder().encode(header);
  const out = new Uint8Array(head.length + nv * 12 + nf * 13);
  out.set(head);
  const view = new DataView(out.buffer, head.length);
  let off = 0;
  for (let i = 0; i < nv * 3; i++, off += 4) view.setFloat32(off, vertices[i]!, true);
  for (let f = 0; f < nf; f++) {
    view.setUint8(off, 3);
    off += 1;
    for (let k = 0; k < 3; k++, off += 4) view.setInt32(off, indices[3 * f + k]!, true);
  }
  return out;
}
