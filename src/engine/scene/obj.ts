import { InputError } from '../core/errors.ts';
import { checkLimit, DEFAULT_LIMITS, type InputLimits } from '../core/limits.ts';
import { forEachLine, textBytes } from '../core/lines.ts';
import { indexProblem, numberProblem, parseDecimal, parseInteger } from '../core/numbers.ts';
import { Float64List, Uint32List } from './arrays.ts';
import type { PlyMesh } from './ply.ts';

/** One object/material group of an OBJ file with its own (compacted) vertices. */
export interface ObjPart {
  /** object/group name (o or g), or the file name */
  name: string;
  /** material name from usemtl, or '' */
  material: string;
  /** xyz of the vertices this part uses, in first-use order */
  vertices: Float64Array;
  /** 3 indices into `vertices` per triangle */
  indices: Uint32Array;
}

export interface ObjFile {
  parts: ObjPart[];
  /** mtllib names with the line that gives them */
  mtllibs: { name: string; line: number }[];
  /** statements read but not used (lines, points, free-form surfaces), counted */
  warnings: string[];
}

/** Statements that carry no surface or nothing radio needs: read past without a word. */
const QUIET = new Set([
  'vn',
  'vt',
  'vp',
  's',
  'mg',
  'lod',
  'bevel',
  'c_interp',
  'd_interp',
  'shadow_obj',
  'trace_obj',
]);
/** Statements that carry geometry this importer does not turn into surfaces: counted in a warning. */
const UNSUPPORTED: Record<string, string> = {
  l: 'line elements (no surface)',
  p: 'point elements (no surface)',
  curv: 'free-form curves',
  curv2: 'free-form curves',
  surf: 'free-form surfaces (not tessellated)',
  cstype: 'free-form statements',
  deg: 'free-form statements',
  bmat: 'free-form statements',
  step: 'free-form statements',
  parm: 'free-form statements',
  trim: 'free-form statements',
  hole: 'free-form statements',
  scrv: 'free-form statements',
  sp: 'free-form statements',
  end: 'free-form statements',
  con: 'free-form statements',
};

/**
 * Wavefront OBJ: vertices, polygon faces (fan-triangulated), o/g names, usemtl, mtllib. Linear
 * in the file size: groups are found through a map, each group keeps only the vertices it uses,
 * and the text is read a chunk at a time. Numbers follow the strict decimal grammar; indices
 * must be integers naming a vertex defined before the face (negative = relative, as OBJ allows).
 */
export function parseObj(
  data: Uint8Array | string,
  file: string,
  limits: InputLimits = DEFAULT_LIMITS,
): ObjFile {
  const vertices = new Float64List();
  const mtllibs: ObjFile['mtllibs'] = [];
  const skipped = new Map<string, number>();
  interface Group {
    name: string;
    material: string;
    /** 3 file-wide vertex indices per triangle; compacted per group at the end */
    indices: Uint32List;
  }
  const groups = new Map<string, Group>();
  let name = file
    .split('/')
    .pop()!
    .replace(/\.obj$/i, '');
  let material = '';
  let current: Group | undefined;
  let faces = 0;
  let triangles = 0;
  let lastLine = 0;
  const group = (where: string): Group => {
    if (current && current.name === name && current.material === material) return current;
    const key = `${name}\u0000${material}`;
    current = groups.get(key);
    if (!current) {
      checkLimit(limits, 'objects', groups.size + 1, file, where, `more than ${groups.size} object groups`);
      current = { name, material, indices: new Uint32List() };
      groups.set(key, current);
    }
    return current;
  };
  const face: number[] = [];
  forEachLine(textBytes(data), file, (raw, lineNo) => {
    lastLine = lineNo;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const space = line.search(/\s/);
    const kw = space < 0 ? line : line.slice(0, space);
    const rest = space < 0 ? '' : line.slice(space + 1).trim();
    const where = `line ${lineNo}`;
    switch (kw) {
      case 'v': {
        const tokens = rest.split(/\s+/);
        if (tokens.length < 3 || tokens[0] === '')
          throw new InputError(
            file,
            where,
            `vertex needs 3 coordinates, got ${tokens.filter(Boolean).length}`,
          );
        for (let k = 0; k < 3; k++) {
          const x = parseDecimal(tokens[k]!);
          if (x === undefined)
            throw new InputError(file, where, `vertex coordinate ${'xyz'[k]} ${numberProblem(tokens[k]!)}`);
          vertices.push(x);
        }
        checkLimit(
          limits,
          'vertices',
          vertices.length / 3,
          file,
          where,
          `more than ${vertices.length / 3 - 1} vertices`,
        );
        break;
      }
      case 'f':
      case 'fo': {
        const nv = vertices.length / 3;
        const tokens = rest === '' ? [] : rest.split(/\s+/);
        if (tokens.length < 3)
          throw new InputError(file, where, `face needs at least 3 vertices, got ${tokens.length}`);
        checkLimit(
          limits,
          'indicesPerFace',
          tokens.length,
          file,
          where,
          `face has ${tokens.length} vertices`,
        );
        face.length = 0;
        for (const t of tokens) {
          const head = t.split('/')[0]!;
          const i = parseInteger(head);
          if (i === undefined) throw new InputError(file, where, `face index ${indexProblem(head)}`);
          const resolved = i < 0 ? nv + i : i - 1;
          if (i === 0 || resolved < 0 || resolved >= nv) {
            throw new InputError(
              file,
              where,
              `face index '${head}' does not refer to one of the ${nv} vertices defined so far`,
            );
          }
          face.push(resolved);
        }
        faces++;
        triangles += tokens.length - 2;
        checkLimit(
          limits,
          'faces',
          triangles,
          file,
          where,
          `more than ${triangles - tokens.length + 2} triangles`,
        );
        const g = group(where);
        for (let k = 2; k < face.length; k++) {
          g.indices.push(face[0]!);
          g.indices.push(face[k - 1]!);
          g.indices.push(face[k]!);
        }
        break;
      }
      case 'o':
      case 'g':
        name = rest || name;
        break;
      case 'usemtl':
        material = rest;
        break;
      case 'mtllib':
        if (rest) mtllibs.push({ name: rest, line: lineNo });
        break;
      default:
        if (!QUIET.has(kw)) {
          const what = UNSUPPORTED[kw] ?? `unknown '${kw}' statements`;
          skipped.set(what, (skipped.get(what) ?? 0) + 1);
        }
    }
  });
  if (faces === 0) {
    throw new InputError(
      file,
      `line ${Math.max(1, lastLine)}`,
      `end of file without any face ('f' line): ${vertices.length / 3} vertices, nothing to trace`,
    );
  }
  // each group keeps only its vertices: one pass over its indices with a file-wide stamp array
  const stamp = new Int32Array(vertices.length / 3).fill(-1);
  const local = new Uint32Array(vertices.length / 3);
  const parts: ObjPart[] = [];
  let gi = 0;
  for (const g of groups.values()) {
    const indices = new Uint32Array(g.indices.length);
    const v = new Float64List();
    let count = 0;
    for (let k = 0; k < indices.length; k++) {
      const i = g.indices.get(k);
      if (stamp[i] !== gi) {
        stamp[i] = gi;
        local[i] = count++;
        v.push(vertices.get(3 * i));
        v.push(vertices.get(3 * i + 1));
        v.push(vertices.get(3 * i + 2));
      }
      indices[k] = local[i]!;
    }
    gi++;
    parts.push({ name: g.name, material: g.material, vertices: v.toArray(), indices });
  }
  const warnings = [...skipped].map(([what, n]) => `${file}: ignored ${n} ${what}`);
  return { parts, mtllibs, warnings };
}

/** All parts of an OBJ file as one mesh (a Mitsuba shape is one object whatever its groups). */
export function objMesh(obj: ObjFile): PlyMesh {
  const nv = obj.parts.reduce((s, p) => s + p.vertices.length, 0);
  const ni = obj.parts.reduce((s, p) => s + p.indices.length, 0);
  const vertices = new Float64Array(nv);
  const indices = new Uint32Array(ni);
  let vo = 0;
  let io = 0;
  for (const p of obj.parts) {
    vertices.set(p.vertices, vo);
    for (let k = 0; k < p.indices.length; k++) indices[io + k] = p.indices[k]! + vo / 3;
    vo += p.vertices.length;
    io += p.indices.length;
  }
  return { vertices, indices, warnings: obj.warnings };
}

/** Material names declared in an MTL file (newmtl). */
export function parseMtlNames(data: Uint8Array | string, file: string): string[] {
  const names: string[] = [];
  forEachLine(textBytes(data), file, (raw) => {
    const l = raw.trim();
    if (l.startsWith('newmtl ')) names.push(l.slice(7).trim());
  });
  return names;
}
