import { InputError } from '../core/errors.ts';
import { ITU_MATERIAL_NAMES, ITU_MATERIALS } from '../materials/itu.ts';
import {
  DEFAULT_THICKNESS,
  type MaterialSpec,
  materialFromLabel,
  type SceneMaterial,
} from '../materials/radioMaterial.ts';
import { buildScene } from './buildScene.ts';
import { type FileSource, resolveRelative } from './fileSource.ts';
import { IDENTITY, lookAtMatrix, matMul, rotationMatrix, scaleMatrix, translationMatrix } from './matrix4.ts';
import { parseObj } from './obj.ts';
import { parsePly } from './ply.ts';
import type { MeshInput, Scene } from './types.ts';
import { parseXml, type XmlElement } from './xml.ts';

/** Visual (non-radio) Mitsuba BSDFs: the radio material then comes from the bsdf id (`mat-itu_concrete`). */
const VISUAL_BSDFS = new Set([
  'diffuse',
  'plastic',
  'roughplastic',
  'conductor',
  'roughconductor',
  'dielectric',
  'roughdielectric',
  'thindielectric',
  'principled',
  'principledthin',
  'blendbsdf',
  'mask',
  'bumpmap',
  'normalmap',
  'null',
  'measured',
]);
const KNOWN_BSDFS = ['itu-radio-material', 'radio-material', 'twosided', ...VISUAL_BSDFS];

/** Load a Mitsuba 3 / Sionna RT scene XML and the meshes it references. */
export async function loadMitsubaScene(source: FileSource, path: string): Promise<Scene> {
  const text = new TextDecoder().decode(await source.read(path));
  const root = parseXml(text, path);
  if (root.tag !== 'scene')
    throw new InputError(path, `line ${root.line}`, `root element is <${root.tag}>, expected <scene>`);
  const defaults: Record<string, string> = {};
  for (const c of root.children)
    if (c.tag === 'default' && c.attrs.name) defaults[c.attrs.name] = c.attrs.value ?? '';
  const sub = (v: string | undefined) => v?.replace(/\$(\w+)/g, (m, name: string) => defaults[name] ?? m);
  const where = (el: XmlElement) => `line ${el.line} <${el.tag}${el.attrs.id ? ` id="${el.attrs.id}"` : ''}>`;
  const param = (el: XmlElement, tag: string, name: string): string | undefined => {
    const c = el.children.find((x) => x.tag === tag && x.attrs.name === name);
    return c ? sub(c.attrs.value) : undefined;
  };
  const numberParam = (el: XmlElement, name: string): number | undefined => {
    const v = param(el, 'float', name) ?? param(el, 'integer', name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n))
      throw new InputError(path, where(el), `parameter '${name}' = '${v}' is not a finite number`);
    return n;
  };

  const materials: Record<string, SceneMaterial> = {};
  const bsdfToMaterial = (el: XmlElement, id: string): SceneMaterial => {
    const type = el.attrs.type ?? '';
    if (type === 'twosided') {
      const inner = el.children.find((c) => c.tag === 'bsdf');
      if (!inner) return materialFromLabel(id);
      return bsdfToMaterial(inner, id);
    }
    if (type === 'itu-radio-material') {
      const ituName = param(el, 'string', 'type');
      if (!ituName || !ITU_MATERIALS[ituName]) {
        throw new InputError(
          path,
          where(el),
          `itu-radio-material type '${ituName ?? ''}' is not one of ${ITU_MATERIAL_NAMES.join(', ')}`,
        );
      }
      const spec: MaterialSpec = {
        kind: 'itu',
        ituName,
        thickness: numberParam(el, 'thickness') ?? DEFAULT_THICKNESS,
        scatteringCoefficient: numberParam(el, 'scattering_coefficient') ?? 0,
        xpdCoefficient: numberParam(el, 'xpd_coefficient') ?? 0,
      };
      return { id, spec, source: 'scene' };
    }
    if (type === 'radio-material') {
      const eps = numberParam(el, 'relative_permittivity');
      const sigma = numberParam(el, 'conductivity');
      if (eps === undefined || sigma === undefined) {
        throw new InputError(path, where(el), 'radio-material needs relative_permittivity and conductivity');
      }
      return {
        id,
        source: 'scene',
        spec: {
          kind: 'custom',
          relativePermittivity: eps,
          conductivity: sigma,
          scatteringCoefficient: numberParam(el, 'scattering_coefficient') ?? 0,
          xpdCoefficient: numberParam(el, 'xpd_coefficient') ?? 0,
          thickness: numberParam(el, 'thickness') ?? DEFAULT_THICKNESS,
        },
      };
    }
    if (VISUAL_BSDFS.has(type)) {
      const m = materialFromLabel(id);
      return m.spec.kind === 'unknown' ? m : { ...m, source: 'scene' };
    }
    throw new InputError(
      path,
      where(el),
      `unknown bsdf type '${type}' (expected one of ${KNOWN_BSDFS.join(', ')})`,
    );
  };
  for (const c of root.children) {
    if (c.tag !== 'bsdf') continue;
    const id = c.attrs.id;
    if (!id) throw new InputError(path, where(c), 'top-level <bsdf> has no id');
    materials[id] = bsdfToMaterial(c, id);
  }

  const meshes: MeshInput[] = [];
  let anonymous = 0;
  for (const shape of root.children) {
    if (shape.tag !== 'shape') continue;
    const type = shape.attrs.type ?? '';
    const id = shape.attrs.id ?? `shape_${anonymous++}`;
    const name = id.replace(/^mesh-/, '');
    let materialId: string;
    const ref = shape.children.find((c) => c.tag === 'ref');
    const inline = shape.children.find((c) => c.tag === 'bsdf');
    if (ref) {
      materialId = ref.attrs.id ?? '';
      if (!materials[materialId]) {
        throw new InputError(
          path,
          where(shape),
          `references bsdf '${materialId}' which is not defined in the scene`,
        );
      }
    } else if (inline) {
      materialId = inline.attrs.id ?? `${name}-material`;
      materials[materialId] = bsdfToMaterial(inline, materialId);
    } else {
      throw new InputError(path, where(shape), 'shape has no material (<ref> or <bsdf>)');
    }
    if (type !== 'ply' && type !== 'obj') {
      throw new InputError(path, where(shape), `unsupported shape type '${type}' (expected ply or obj)`);
    }
    const filename = param(shape, 'string', 'filename');
    if (!filename) throw new InputError(path, where(shape), "shape has no 'filename'");
    const meshPath = resolveRelative(path, filename);
    if (!(await source.exists(meshPath))) {
      throw new InputError(
        path,
        where(shape),
        `references mesh file '${filename}' which does not exist (looked for ${meshPath})`,
      );
    }
    const data = await source.read(meshPath);
    const parsed =
      type === 'ply' ? parsePly(data, meshPath) : parseObj(new TextDecoder().decode(data), meshPath).mesh;
    const transformEl = shape.children.find((c) => c.tag === 'transform' && c.attrs.name === 'to_world');
    meshes.push({
      name,
      materialId,
      vertices: parsed.vertices,
      indices: parsed.indices,
      transform: transformEl ? parseTransform(transformEl, path, sub) : undefined,
      file: meshPath,
    });
  }
  if (meshes.length === 0) throw new InputError(path, 'scene', 'contains no <shape>');
  const sceneName = path
    .split('/')
    .pop()!
    .replace(/\.xml$/i, '');
  return buildScene(sceneName, meshes, materials);
}

/** Compose a Mitsuba <transform>: children apply in document order (later ones on the left). */
export function parseTransform(
  el: XmlElement,
  file: string,
  sub: (v: string | undefined) => string | undefined = (v) => v,
): number[] {
  let m = IDENTITY;
  const nums = (c: XmlElement, attr: string, count: number | undefined): number[] => {
    const raw = sub(c.attrs[attr]) ?? '';
    const v = raw
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    if ((count !== undefined && v.length !== count) || !v.every(Number.isFinite)) {
      throw new InputError(
        file,
        `line ${c.line} <${c.tag}>`,
        `${attr}="${raw}" must be ${count ?? 'a list of'} finite numbers`,
      );
    }
    return v;
  };
  const xyz = (c: XmlElement, dflt: number): [number, number, number] => {
    if (c.attrs.value !== undefined) {
      const v = nums(c, 'value', undefined);
      if (v.length === 1) return [v[0]!, v[0]!, v[0]!];
      if (v.length === 3) return [v[0]!, v[1]!, v[2]!];
      throw new InputError(file, `line ${c.line} <${c.tag}>`, 'value must have 1 or 3 numbers');
    }
    return ['x', 'y', 'z'].map((a) => (c.attrs[a] !== undefined ? nums(c, a, 1)[0]! : dflt)) as [
      number,
      number,
      number,
    ];
  };
  for (const c of el.children) {
    let op: number[];
    switch (c.tag) {
      case 'matrix': {
        const v = nums(c, 'value', undefined);
        if (v.length !== 16 && v.length !== 9) {
          throw new InputError(
            file,
            `line ${c.line} <matrix>`,
            `expected 16 (or 9) numbers, got ${v.length}`,
          );
        }
        const r =
          v.length === 16
            ? v
            : [v[0]!, v[1]!, v[2]!, 0, v[3]!, v[4]!, v[5]!, 0, v[6]!, v[7]!, v[8]!, 0, 0, 0, 0, 1];
        // Mitsuba writes row-major; store column-major.
        op = [0, 1, 2, 3].flatMap((col) => [0, 1, 2, 3].map((row) => r[4 * row + col]!));
        break;
      }
      case 'translate':
        op = translationMatrix(xyz(c, 0));
        break;
      case 'scale':
        op = scaleMatrix(xyz(c, 1));
        break;
      case 'rotate': {
        const angle = nums(c, 'angle', 1)[0]!;
        op = rotationMatrix(xyz(c, 0), (angle * Math.PI) / 180);
        break;
      }
      case 'lookat': {
        const o = nums(c, 'origin', 3);
        const t = nums(c, 'target', 3);
        const u = c.attrs.up !== undefined ? nums(c, 'up', 3) : [0, 0, 1];
        op = lookAtMatrix(
          o as [number, number, number],
          t as [number, number, number],
          u as [number, number, number],
        );
        break;
      }
      default:
        throw new InputError(
          file,
          `line ${c.line} <${c.tag}>`,
          'unknown transform operation (expected matrix, translate, rotate, scale, lookat)',
        );
    }
    m = matMul(op, m);
  }
  return m;
}
