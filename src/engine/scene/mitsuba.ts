import { InputError } from '../core/errors.ts';
import { getId, hasId, idRecord } from '../core/idRecord.ts';
import { decodeText } from '../core/lines.ts';
import { numberProblem, parseDecimal } from '../core/numbers.ts';
import { ITU_MATERIAL_NAMES, ITU_MATERIALS } from '../materials/itu.ts';
import {
  DEFAULT_THICKNESS,
  type MaterialSpec,
  materialFromLabel,
  materialSpecProblems,
  type SceneMaterial,
} from '../materials/radioMaterial.ts';
import { buildScene } from './buildScene.ts';
import { type FileSource, InputFiles, type LoadOptions } from './fileSource.ts';
import {
  IDENTITY,
  lookAtMatrix,
  matMul,
  rotationMatrix,
  scaleMatrix,
  transformProblem,
  translationMatrix,
} from './matrix4.ts';
import { objMesh, parseObj } from './obj.ts';
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
/** Top-level elements of a Mitsuba scene that mean nothing to radio: read past (others are counted in a warning). */
const NOT_RADIO = new Set([
  'integrator',
  'sensor',
  'emitter',
  'film',
  'sampler',
  'texture',
  'medium',
  'phase',
  'rfilter',
]);

/** Load a Mitsuba 3 / Sionna RT scene XML and the meshes it references. */
export async function loadMitsubaScene(
  source: FileSource,
  path: string,
  options: LoadOptions | InputFiles = {},
): Promise<Scene> {
  const files = options instanceof InputFiles ? options : new InputFiles(source, path, options);
  const root = parseXml(decodeText(await files.readTop(), path), path, files.limits);
  if (root.tag !== 'scene')
    throw new InputError(path, `line ${root.line}`, `root element is <${root.tag}>, expected <scene>`);
  const warnings: string[] = [];
  const defaults = idRecord<string>();
  for (const c of root.children)
    if (c.tag === 'default' && c.attrs.name) defaults[c.attrs.name] = c.attrs.value ?? '';
  const sub = (v: string | undefined) =>
    v?.replace(/\$(\w+)/g, (m, name: string) => getId(defaults, name) ?? m);
  const where = (el: XmlElement) => `line ${el.line} <${el.tag}${el.attrs.id ? ` id="${el.attrs.id}"` : ''}>`;
  const param = (el: XmlElement, tag: string, name: string): string | undefined => {
    const found = el.children.filter((x) => x.tag === tag && x.attrs.name === name);
    if (found.length > 1)
      throw new InputError(path, where(found[1]!), `parameter '${name}' is given ${found.length} times`);
    return found[0] ? sub(found[0].attrs.value) : undefined;
  };
  const numberParam = (el: XmlElement, name: string): number | undefined => {
    const v = param(el, 'float', name) ?? param(el, 'integer', name);
    if (v === undefined) return undefined;
    const n = parseDecimal(v.trim());
    if (n === undefined) throw new InputError(path, where(el), `parameter '${name}' ${numberProblem(v)}`);
    return n;
  };
  const checked = (el: XmlElement, m: SceneMaterial): SceneMaterial => {
    const problems = materialSpecProblems(m.spec);
    if (problems.length > 0) throw new InputError(path, where(el), problems.join('; '));
    return m;
  };

  const materials = idRecord<SceneMaterial>();
  const bsdfToMaterial = (outer: XmlElement, id: string): SceneMaterial => {
    // twosided wraps the material that matters; walk down without recursion, however deep
    let el = outer;
    let wrappers = 0;
    while ((el.attrs.type ?? '') === 'twosided') {
      const inner = el.children.filter((c) => c.tag === 'bsdf');
      if (inner.length === 0) return materialFromLabel(id);
      if (inner.length > 2)
        throw new InputError(path, where(el), `twosided has ${inner.length} bsdfs, expected 1 or 2`);
      el = inner[0]!;
      wrappers++;
    }
    if (wrappers > 1)
      warnings.push(
        `${path}: ${where(outer)}: ${wrappers} nested twosided wrappers; the innermost bsdf is used`,
      );
    const type = el.attrs.type ?? '';
    if (type === 'itu-radio-material') {
      const ituName = param(el, 'string', 'type');
      if (!ituName || !Object.hasOwn(ITU_MATERIALS, ituName)) {
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
      return checked(el, { id, spec, source: 'scene' });
    }
    if (type === 'radio-material') {
      const eps = numberParam(el, 'relative_permittivity');
      const sigma = numberParam(el, 'conductivity');
      if (eps === undefined || sigma === undefined) {
        throw new InputError(path, where(el), 'radio-material needs relative_permittivity and conductivity');
      }
      return checked(el, {
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
      });
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
  const defined = idRecord<XmlElement>();
  const define = (el: XmlElement, id: string) => {
    const first = getId(defined, id);
    if (first)
      throw new InputError(path, where(el), `bsdf id '${id}' is already defined on line ${first.line}`);
    defined[id] = el;
  };
  const ignored = new Map<string, number>();
  for (const c of root.children) {
    if (c.tag === 'bsdf') {
      const id = c.attrs.id;
      if (!id) throw new InputError(path, where(c), 'top-level <bsdf> has no id');
      define(c, id);
      materials[id] = bsdfToMaterial(c, id);
    } else if (c.tag !== 'shape' && c.tag !== 'default' && !NOT_RADIO.has(c.tag)) {
      ignored.set(c.tag, (ignored.get(c.tag) ?? 0) + 1);
    }
  }
  if (ignored.size > 0)
    warnings.push(
      `${path}: ignored unknown elements ${[...ignored].map(([tag, n]) => `${n} <${tag}>`).join(', ')}`,
    );

  const meshes: MeshInput[] = [];
  const shapeIds = idRecord<number>();
  let anonymous = 0;
  for (const shape of root.children) {
    if (shape.tag !== 'shape') continue;
    const type = shape.attrs.type ?? '';
    const id = shape.attrs.id ?? `shape_${anonymous++}`;
    if (hasId(shapeIds, id))
      throw new InputError(path, where(shape), `shape id '${id}' is already used on line ${shapeIds[id]}`);
    shapeIds[id] = shape.line;
    const name = id.replace(/^mesh-/, '');
    let materialId: string;
    const refs = shape.children.filter((c) => c.tag === 'ref');
    const inline = shape.children.filter((c) => c.tag === 'bsdf');
    if (refs.length + inline.length > 1)
      throw new InputError(path, where(shape), 'shape has more than one material (<ref> or <bsdf>)');
    if (refs[0]) {
      materialId = refs[0].attrs.id ?? '';
      if (!hasId(materials, materialId)) {
        throw new InputError(
          path,
          where(shape),
          `references bsdf '${materialId}' which is not defined in the scene`,
        );
      }
    } else if (inline[0]) {
      materialId = inline[0].attrs.id ?? `${name}-material`;
      define(inline[0], materialId);
      materials[materialId] = bsdfToMaterial(inline[0], materialId);
    } else {
      throw new InputError(path, where(shape), 'shape has no material (<ref> or <bsdf>)');
    }
    if (type !== 'ply' && type !== 'obj') {
      throw new InputError(path, where(shape), `unsupported shape type '${type}' (expected ply or obj)`);
    }
    const filename = param(shape, 'string', 'filename');
    if (!filename) throw new InputError(path, where(shape), "shape has no 'filename'");
    const meshPath = files.resolve(path, filename, where(shape), 'mesh');
    if (!(await files.exists(meshPath))) {
      throw new InputError(
        path,
        where(shape),
        `references mesh file '${filename}' which does not exist (looked for ${meshPath})`,
      );
    }
    const data = await files.readRef(path, meshPath, where(shape), 'mesh');
    const isPly =
      data[0] === 0x70 && data[1] === 0x6c && data[2] === 0x79 && (data[3] === 10 || data[3] === 13);
    if (isPly !== (type === 'ply'))
      throw new InputError(
        path,
        where(shape),
        `shape type is '${type}' but ${meshPath} ${isPly ? 'is a PLY file' : 'is not a PLY file'}`,
      );
    const parsed =
      type === 'ply'
        ? parsePly(data, meshPath, files.limits)
        : objMesh(parseObj(data, meshPath, files.limits));
    warnings.push(...parsed.warnings);
    const transformEl = shape.children.filter((c) => c.tag === 'transform' && c.attrs.name === 'to_world');
    if (transformEl.length > 1)
      throw new InputError(path, where(transformEl[1]!), 'shape has more than one to_world transform');
    meshes.push({
      name,
      materialId,
      vertices: parsed.vertices,
      indices: parsed.indices,
      transform: transformEl[0] ? parseTransform(transformEl[0], path, sub) : undefined,
      file: meshPath,
    });
  }
  if (meshes.length === 0) throw new InputError(path, 'scene', 'contains no <shape>: nothing to trace');
  const sceneName = path
    .split('/')
    .pop()!
    .replace(/\.xml$/i, '');
  return buildScene(sceneName, meshes, materials, warnings, { limits: files.limits, file: path });
}

/**
 * Compose a Mitsuba <transform>: children apply in document order (later ones on the left).
 * The result must be finite, affine and invertible.
 */
export function parseTransform(
  el: XmlElement,
  file: string,
  sub: (v: string | undefined) => string | undefined = (v) => v,
): number[] {
  let m = IDENTITY;
  const nums = (c: XmlElement, attr: string, count: number | undefined): number[] => {
    const raw = sub(c.attrs[attr]) ?? '';
    const tokens = raw.split(/[\s,]+/).filter(Boolean);
    const v = tokens.map(parseDecimal);
    const bad = v.indexOf(undefined);
    if (bad >= 0)
      throw new InputError(file, `line ${c.line} <${c.tag}>`, `${attr}: ${numberProblem(tokens[bad]!)}`);
    if (count !== undefined && v.length !== count) {
      throw new InputError(
        file,
        `line ${c.line} <${c.tag}>`,
        `${attr}="${raw.slice(0, 60)}" must be ${count} finite numbers`,
      );
    }
    return v as number[];
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
        const axis = xyz(c, 0);
        if (Math.hypot(...axis) === 0)
          throw new InputError(file, `line ${c.line} <rotate>`, 'rotation axis is zero (give x, y or z)');
        op = rotationMatrix(axis, (angle * Math.PI) / 180);
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
    const problem = transformProblem(op);
    if (problem) throw new InputError(file, `line ${c.line} <${c.tag}>`, problem);
    m = matMul(op, m);
  }
  const problem = transformProblem(m);
  if (problem) throw new InputError(file, `line ${el.line} <transform>`, `the composed transform ${problem}`);
  return m;
}
