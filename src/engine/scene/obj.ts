import { InputError } from '../core/errors.ts';
import type { PlyMesh } from './ply.ts';

export interface ObjPart {
  /** object/group name (o or g), or the file name */
  name: string;
  /** material name from usemtl, or '' */
  material: string;
  indices: number[];
}

/** Wavefront OBJ: vertices, polygon faces (fan-triangulated), o/g names, usemtl, mtllib. */
export function parseObj(text: string, file: string): { mesh: PlyMesh; parts: ObjPart[]; mtllibs: string[] } {
  const vertices: number[] = [];
  const parts: ObjPart[] = [];
  const mtllibs: string[] = [];
  let name = file
    .split('/')
    .pop()!
    .replace(/\.obj$/i, '');
  let material = '';
  let current: ObjPart | undefined;
  const part = () => {
    if (!current || current.name !== name || current.material !== material) {
      current = parts.find((p) => p.name === name && p.material === material);
      if (!current) {
        current = { name, material, indices: [] };
        parts.push(current);
      }
    }
    return current;
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, li) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [kw, ...args] = line.split(/\s+/);
    const where = `line ${li + 1}`;
    switch (kw) {
      case 'v': {
        const xyz = args.slice(0, 3).map(Number);
        if (xyz.length < 3 || !xyz.every(Number.isFinite)) {
          throw new InputError(file, where, `vertex '${line}' needs 3 finite coordinates`);
        }
        vertices.push(...xyz);
        break;
      }
      case 'f': {
        const nv = vertices.length / 3;
        const idx = args.map((a) => {
          const i = Number.parseInt(a.split('/')[0]!, 10);
          const resolved = i < 0 ? nv + i : i - 1;
          if (!Number.isInteger(i) || i === 0 || resolved < 0 || resolved >= nv) {
            throw new InputError(
              file,
              where,
              `face index '${a}' does not refer to one of the ${nv} vertices defined so far`,
            );
          }
          return resolved;
        });
        if (idx.length < 3) throw new InputError(file, where, 'face needs at least 3 vertices');
        const p = part();
        for (let k = 1; k + 1 < idx.length; k++) p.indices.push(idx[0]!, idx[k]!, idx[k + 1]!);
        break;
      }
      case 'o':
      case 'g':
        name = args.join(' ') || name;
        break;
      case 'usemtl':
        material = args.join(' ');
        break;
      case 'mtllib':
        mtllibs.push(args.join(' '));
        break;
      default:
        break; // vn, vt, s, l … are not needed for radio geometry
    }
  });
  const all = parts.flatMap((p) => p.indices);
  return {
    mesh: { vertices: Float64Array.from(vertices), indices: Uint32Array.from(all) },
    parts: parts.filter((p) => p.indices.length > 0),
    mtllibs,
  };
}

/** Material names declared in an MTL file (newmtl). */
export function parseMtlNames(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('newmtl '))
    .map((l) => l.slice(7).trim());
}
