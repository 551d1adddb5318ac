import { InputError } from '../core/errors.ts';
import { checkLimit, DEFAULT_LIMITS, type InputLimits } from '../core/limits.ts';
import { forEachLine } from '../core/lines.ts';
import { indexProblem, numberProblem, parseDecimal, parseInteger } from '../core/numbers.ts';
import { Uint32List } from './arrays.ts';

/** Vertices (xyz) and triangle indices read from a mesh file (faces fan-triangulated). */
export interface PlyMesh {
  vertices: Float64Array;
  indices: Uint32Array;
  /** what was read but not used (other elements), counted */
  warnings: string[];
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

/** Names a face element's index list goes by (Stanford: vertex_indices; others: vertex_index, vertex_idx). */
const FACE_ELEMENTS = new Set(['face', 'facet']);
const INDEX_LISTS = new Set(['vertex_indices', 'vertex_index', 'vertex_idx', 'vertex_ids']);
const INTEGER_TYPES = new Set<Scalar>(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32']);

/**
 * Parse a PLY file (ascii, binary_little_endian, binary_big_endian). `file` names it in errors.
 * Element counts are checked against the limits and, for binary files, against the bytes the
 * file has before anything is allocated. Face indices must be integers naming a vertex; a face
 * element may be called face or facet, its list vertex_indices, vertex_index or vertex_idx;
 * other elements are skipped with a warning that counts them.
 */
export function parsePly(data: Uint8Array, file: string, limits: InputLimits = DEFAULT_LIMITS): PlyMesh {
  // The header is ASCII and ends with "end_header\n"; find it in the raw bytes.
  const headLimit = Math.min(data.length, 64 * 1024);
  const headText = new TextDecoder('latin1').decode(data.subarray(0, headLimit));
  if (!/^ply\r?\n/.test(headText))
    throw new InputError(file, 'line 1', "not a PLY file (expected 'ply' magic)");
  const endMatch = /(^|\n)end_header[ \t]*\r?\n/.exec(headText);
  if (!endMatch)
    throw new InputError(file, 'header', "missing 'end_header' in the first 64 KiB (truncated or not PLY)");
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
        const count = parseInteger(parts[2] ?? '');
        if (!parts[1] || count === undefined || count < 0 || parts.length !== 3)
          throw new InputError(file, where, `bad element line '${line}' (expected: element NAME COUNT)`);
        if (elements.some((e) => e.name === parts[1]))
          throw new InputError(file, where, `element '${parts[1]}' is declared twice`);
        elements.push({ name: parts[1], count, properties: [] });
        break;
      }
      case 'property': {
        const el = elements.at(-1);
        if (!el) throw new InputError(file, where, 'property before any element');
        if (parts[1] === 'list') {
          const countType = SCALAR_ALIASES[parts[2] ?? ''];
          const type = SCALAR_ALIASES[parts[3] ?? ''];
          if (!countType || !type || !parts[4] || !INTEGER_TYPES.has(countType))
            throw new InputError(file, where, `bad list property '${line}'`);
          el.properties.push({ name: parts[4], type, countType });
        } else {
          const type = SCALAR_ALIASES[parts[1] ?? ''];
          if (!type || !parts[2]) throw new InputError(file, where, `bad property '${line}'`);
          el.properties.push({ name: parts[2], type });
        }
        break;
      }
      case 'ply':
      case 'comment':
      case 'obj_info':
      case '':
        break;
      default:
        throw new InputError(file, where, `unknown header keyword '${parts[0]}'`);
    }
  });
  if (!format) throw new InputError(file, 'header', "missing 'format' line");
  const vertexEl = elements.find((e) => e.name === 'vertex');
  if (!vertexEl) throw new InputError(file, 'header', "no 'vertex' element");
  const axes = ['x', 'y', 'z'].map((a) => vertexEl.properties.findIndex((p) => p.name === a && !p.countType));
  if (axes.some((i) => i < 0)) throw new InputError(file, 'header', 'vertex element lacks x, y or z');
  checkLimit(limits, 'vertices', vertexEl.count, file, 'header', `declares ${vertexEl.count} vertices`);
  const faceEls = elements.filter((e) => FACE_ELEMENTS.has(e.name));
  if (faceEls.length > 1) throw new InputError(file, 'header', 'declares both face and facet elements');
  const faceEl = faceEls[0];
  let faceList = -1;
  if (faceEl) {
    faceList = faceEl.properties.findIndex((p) => p.countType !== undefined && INDEX_LISTS.has(p.name));
    if (faceList < 0)
      throw new InputError(
        file,
        'header',
        `element '${faceEl.name}' has no vertex index list (property list … vertex_indices); its lists: ${
          faceEl.properties
            .filter((p) => p.countType)
            .map((p) => p.name)
            .join(', ') || 'none'
        }`,
      );
    if (!INTEGER_TYPES.has(faceEl.properties[faceList]!.type))
      throw new InputError(
        file,
        'header',
        `face indices are declared ${faceEl.properties[faceList]!.type}, expected an integer type`,
      );
    checkLimit(limits, 'faces', faceEl.count, file, 'header', `declares ${faceEl.count} faces`);
  }
  const warnings = elements
    .filter((e) => e !== vertexEl && e !== faceEl && e.count > 0)
    .map((e) => `${file}: ignored element '${e.name}' (${e.count} records)`);
  for (const el of elements)
    checkLimit(limits, 'rows', el.count, file, 'header', `declares ${el.count} ${el.name} records`);

  const nv = vertexEl.count;
  const vertices = new Float64Array(nv * 3);
  const indices = new Uint32List();
  let triangles = 0;
  const list: number[] = [];
  const pushFace = (faceNo: number) => {
    if (list.length < 3)
      throw new InputError(file, `face ${faceNo}`, `has ${list.length} vertices, expected ≥ 3`);
    for (const v of list) {
      if (v < 0 || v >= nv || !Number.isInteger(v))
        throw new InputError(file, `face ${faceNo}`, `vertex index ${v} outside 0…${nv - 1}`);
    }
    triangles += list.length - 2;
    checkLimit(
      limits,
      'faces',
      triangles,
      file,
      `face ${faceNo}`,
      `more than ${triangles - list.length + 2} triangles`,
    );
    for (let k = 1; k + 1 < list.length; k++) {
      indices.push(list[0]!);
      indices.push(list[k]!);
      indices.push(list[k + 1]!);
    }
  };

  if (format === 'ascii') {
    // one record per line; each must have exactly the values its properties need
    const queue = elements.filter((e) => e.count > 0);
    let el = queue.shift();
    let record = 0;
    let done = !el;
    forEachLine(
      data,
      file,
      (raw, lineNo) => {
        const line = raw.trim();
        if (line === '') return;
        const where = `line ${lineNo}`;
        if (done) throw new InputError(file, where, 'text after the last declared record');
        const tokens = line.split(/\s+/);
        let t = 0;
        const token = (what: string): string => {
          if (t >= tokens.length) throw new InputError(file, where, `${el!.name} ${record}: missing ${what}`);
          return tokens[t++]!;
        };
        el!.properties.forEach((p, pi) => {
          if (p.countType) {
            const nText = token(`the count of list '${p.name}'`);
            const n = parseInteger(nText);
            if (n === undefined || n < 0)
              throw new InputError(file, where, `list '${p.name}' count ${indexProblem(nText)}`);
            const isFaces = el === faceEl && pi === faceList;
            if (isFaces) checkLimit(limits, 'indicesPerFace', n, file, where, `face has ${n} vertices`);
            if (n > tokens.length - t)
              throw new InputError(
                file,
                where,
                `list '${p.name}' says ${n} values but the line has ${tokens.length - t} more`,
              );
            if (isFaces) {
              list.length = 0;
              for (let k = 0; k < n; k++) {
                const text = token('an index');
                const v = parseInteger(text);
                if (v === undefined || v < 0)
                  throw new InputError(file, where, `face index ${indexProblem(text)}`);
                list.push(v);
              }
              pushFace(record);
            } else t += n;
          } else {
            const text = token(`'${p.name}'`);
            const axis = el === vertexEl ? axes.indexOf(pi) : -1;
            if (axis >= 0) {
              const v = parseDecimal(text);
              if (v === undefined)
                throw new InputError(file, where, `vertex ${record} ${p.name} ${numberProblem(text)}`);
              vertices[3 * record + axis] = v;
            }
          }
        });
        if (t !== tokens.length)
          throw new InputError(file, where, `${el!.name} ${record}: ${tokens.length} values, expected ${t}`);
        record++;
        if (record === el!.count) {
          el = queue.shift();
          record = 0;
          done = !el;
        }
      },
      bodyStart,
      headerLines.length + 2,
    );
    if (!done)
      throw new InputError(
        file,
        `${el!.name} ${record}`,
        `file ends after ${record} of ${el!.count} ${el!.name} records (truncated)`,
      );
  } else {
    const little = format === 'binary_little_endian';
    const view = new DataView(data.buffer, data.byteOffset + bodyStart, data.length - bodyStart);
    // every record needs at least its scalars and list counts: check the whole file can hold them
    let minimum = 0;
    for (const el of elements) {
      const bytes = el.properties.reduce((s, p) => s + SIZE[p.countType ?? p.type], 0);
      minimum += el.count * bytes;
    }
    if (minimum > view.byteLength)
      throw new InputError(
        file,
        'header',
        `declares records of at least ${minimum.toLocaleString('en-US')} bytes but the file has ${view.byteLength.toLocaleString('en-US')} after the header (truncated, or counts too large)`,
      );
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
            if (n < 0)
              throw new InputError(file, `${el.name} ${i}`, `list '${p.name}' has a negative count ${n}`);
            const isFaces = el === faceEl && pi === faceList;
            if (isFaces) checkLimit(limits, 'indicesPerFace', n, file, `face ${i}`, `face has ${n} vertices`);
            need(n * SIZE[p.type], el, i);
            if (isFaces) {
              list.length = 0;
              for (let k = 0; k < n; k++, off += SIZE[p.type])
                list.push(readScalar(view, off, p.type, little));
              pushFace(i);
            } else off += n * SIZE[p.type];
          } else {
            need(SIZE[p.type], el, i);
            if (el === vertexEl) {
              const axis = axes.indexOf(pi);
              if (axis >= 0) {
                const v = readScalar(view, off, p.type, little);
                if (!Number.isFinite(v))
                  throw new InputError(
                    file,
                    `vertex ${i}`,
                    `coordinate ${p.name} is ${v}, expected a finite number`,
                  );
                vertices[3 * i + axis] = v;
              }
            }
            off += SIZE[p.type];
          }
        });
      }
    }
  }
  return { vertices, indices: indices.toArray(), warnings };
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
