import { InputError, parseJsonText } from '../core/errors.ts';
import { checkLimit, type InputLimits } from '../core/limits.ts';
import { decodeText } from '../core/lines.ts';
import { type FileSource, InputFiles, type LoadOptions } from './fileSource.ts';
import { IDENTITY, matMul, scaleMatrix, translationMatrix } from './matrix4.ts';
import type { MeshInput } from './types.ts';

type Json = Record<string, unknown>;

const COMPONENTS: Record<string, number> = {
  SCALAR: 1,
  VEC2: 2,
  VEC3: 3,
  VEC4: 4,
  MAT2: 4,
  MAT3: 9,
  MAT4: 16,
};
const COMPONENT_SIZE: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };
const MODE_NAMES = [
  'POINTS',
  'LINES',
  'LINE_LOOP',
  'LINE_STRIP',
  'TRIANGLES',
  'TRIANGLE_STRIP',
  'TRIANGLE_FAN',
];

/** The meshes of a glTF file and what was read but not turned into surfaces. */
export interface GltfMeshes {
  meshes: MeshInput[];
  warnings: string[];
}

/**
 * Read the triangle meshes of a glTF 2.0 (.gltf + .bin, data URIs) or .glb file, with node
 * transforms applied and each primitive's material name kept (it names the radio material).
 * Only geometry is read; textures are not needed for radio. Every index, offset and count is
 * checked against the buffers before it is used, the node hierarchy is walked without recursion
 * and must be a forest (a node reached twice, or a cycle, is an error), triangle strips and fans
 * become triangle lists, and primitives without a surface (points, lines) are counted in a warning.
 */
export async function readGltfMeshes(
  source: FileSource,
  path: string,
  options: LoadOptions | InputFiles = {},
): Promise<MeshInput[]> {
  return (await readGltf(source, path, options)).meshes;
}

export async function readGltf(
  source: FileSource,
  path: string,
  options: LoadOptions | InputFiles = {},
): Promise<GltfMeshes> {
  const files = options instanceof InputFiles ? options : new InputFiles(source, path, options);
  const limits = files.limits;
  const data = await files.readTop();
  const fail = (element: string, problem: string): never => {
    throw new InputError(path, element, problem);
  };
  let jsonText: string;
  let glbBin: Uint8Array | undefined;
  const magic = data.length >= 4 ? String.fromCharCode(data[0]!, data[1]!, data[2]!, data[3]!) : '';
  if (magic === 'glTF') {
    if (data.length < 12) fail('GLB header', `is ${data.length} bytes, a GLB header needs 12 (truncated)`);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const version = view.getUint32(4, true);
    if (version !== 2) fail('GLB header', `version ${version}, expected 2`);
    const total = view.getUint32(8, true);
    if (total > data.length)
      fail('GLB header', `declares ${total} bytes but the file has ${data.length} (truncated)`);
    let off = 12;
    let json: Uint8Array | undefined;
    let chunkNo = 0;
    while (off < total) {
      if (off + 8 > total) fail(`GLB chunk ${chunkNo}`, 'header cut off (truncated)');
      const len = view.getUint32(off, true);
      const type = view.getUint32(off + 4, true);
      if (off + 8 + len > total)
        fail(`GLB chunk ${chunkNo}`, `declares ${len} bytes but only ${total - off - 8} remain (truncated)`);
      const chunk = data.subarray(off + 8, off + 8 + len);
      if (chunkNo === 0 && type !== 0x4e4f534a) fail('GLB chunk 0', 'is not the JSON chunk');
      if (type === 0x4e4f534a && chunkNo === 0) json = chunk;
      else if (type === 0x004e4942 && chunkNo === 1) glbBin = chunk;
      off += 8 + len;
      chunkNo++;
    }
    if (!json) fail('GLB', 'has no JSON chunk');
    jsonText = decodeText(json!, path);
  } else {
    jsonText = decodeText(data, path);
  }
  const parsed = parseJsonText(jsonText, path);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    fail(
      'JSON',
      `expected a glTF object, got ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed}`,
    );
  const json = parsed as Json;

  // typed access to the JSON: every error names the JSON path
  const obj = (v: unknown, where: string): Json => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, 'expected an object');
    return v as Json;
  };
  const list = (v: unknown, where: string): unknown[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) fail(where, 'expected an array');
    return v as unknown[];
  };
  const int = (v: unknown, where: string, min = 0, max = Number.MAX_SAFE_INTEGER): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      fail(where, `expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return v as number;
  };
  /** An index into one of the file's arrays ("accessors", length 3). */
  const ref = (v: unknown, where: string, array: string, length: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      fail(where, `expected an index into ${array}, got ${JSON.stringify(v)}`);
    if ((v as number) >= length)
      fail(where, `refers to ${array}[${v}], which does not exist (${length} ${array})`);
    return v as number;
  };
  const optInt = (v: unknown, where: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    v === undefined ? fallback : int(v, where, min, max);
  const numbers = (v: unknown, where: string, count: number): number[] => {
    if (
      !Array.isArray(v) ||
      v.length !== count ||
      !v.every((x) => typeof x === 'number' && Number.isFinite(x))
    )
      fail(where, `expected ${count} finite numbers`);
    return v as number[];
  };

  const asset = obj(json.asset, 'asset');
  if (typeof asset.version !== 'string' || !asset.version.startsWith('2'))
    fail('asset.version', 'expected a glTF 2.0 file');

  const rawBuffers = list(json.buffers, 'buffers');
  const buffers: Uint8Array[] = [];
  for (const [i, raw] of rawBuffers.entries()) {
    const where = `buffers[${i}]`;
    const b = obj(raw, where);
    const byteLength = int(b.byteLength, `${where}.byteLength`, 1, limits.fileBytes);
    let bytes: Uint8Array;
    if (b.uri === undefined) {
      if (!glbBin || i !== 0) fail(where, 'has no uri and is not the GLB binary chunk');
      bytes = glbBin!;
    } else {
      if (typeof b.uri !== 'string') fail(`${where}.uri`, 'expected a string');
      bytes = await readBufferUri(b.uri as string, `${where}.uri`);
    }
    if (bytes.length < byteLength)
      fail(where, `declares ${byteLength} bytes but has ${bytes.length} (truncated)`);
    buffers.push(bytes);
  }

  async function readBufferUri(uri: string, where: string): Promise<Uint8Array> {
    if (uri.startsWith('data:')) {
      const m = /^data:[^,;]*(;[^,;]+)*;base64,/.exec(uri);
      if (!m) fail(where, 'only base64 data URIs are read (data:…;base64,…)');
      const b64 = uri.slice(m![0].length);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) fail(where, 'is not valid base64');
      if ((b64.length * 3) / 4 > limits.fileBytes)
        fail(where, `data URI exceeds the file size limit (raise --limit file-bytes)`);
      let text: string;
      try {
        text = atob(b64);
      } catch {
        return fail(where, 'is not valid base64');
      }
      const out = new Uint8Array(text.length);
      for (let k = 0; k < text.length; k++) out[k] = text.charCodeAt(k);
      return out;
    }
    if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri) && !/^[A-Za-z]:[\\/]/.test(uri))
      fail(where, `'${uri.slice(0, 60)}' is a URL; only relative file paths and data: URIs are read`);
    let decoded: string;
    try {
      decoded = decodeURIComponent(uri);
    } catch {
      return fail(where, `'${uri.slice(0, 60)}' is not a valid URI (a % not followed by two hex digits)`);
    }
    const p = files.resolve(path, decoded, where, 'buffer');
    if (!(await files.exists(p))) fail(where, `references '${uri}' which does not exist (looked for ${p})`);
    return files.readRef(path, p, where, 'buffer');
  }

  const bufferViews = list(json.bufferViews, 'bufferViews').map((raw, i) => {
    const where = `bufferViews[${i}]`;
    const bv = obj(raw, where);
    const buffer = ref(bv.buffer, `${where}.buffer`, 'buffers', buffers.length);
    const byteOffset = optInt(bv.byteOffset, `${where}.byteOffset`, 0);
    const byteLength = int(bv.byteLength, `${where}.byteLength`, 1);
    if (byteOffset + byteLength > buffers[buffer]!.length)
      fail(
        where,
        `bytes ${byteOffset}…${byteOffset + byteLength} lie past the end of buffer ${buffer} (${buffers[buffer]!.length} bytes)`,
      );
    const byteStride =
      bv.byteStride === undefined ? undefined : int(bv.byteStride, `${where}.byteStride`, 4, 252);
    if (byteStride !== undefined && byteStride % 4 !== 0)
      fail(`${where}.byteStride`, `${byteStride} is not a multiple of 4`);
    return { bytes: buffers[buffer]!.subarray(byteOffset, byteOffset + byteLength), byteStride };
  });
  const accessors = list(json.accessors, 'accessors');

  /** Read accessor `index` as numbers; `limit` bounds its element count. */
  const readAccessor = (
    index: number,
    what: string,
    limit: keyof InputLimits,
    element: string,
    expectedType: string,
  ): Float64Array => {
    const where = `accessors[${index}]`;
    const acc = obj(accessors[index], where);
    if (acc.sparse !== undefined) fail(where, 'sparse accessors are not supported');
    const count = int(acc.count, `${where}.count`, 1);
    checkLimit(limits, limit, count, path, `${what} (${where})`, `has ${count} ${element}`);
    const componentType = int(acc.componentType, `${where}.componentType`);
    const size = COMPONENT_SIZE[componentType];
    if (!size) return fail(`${where}.componentType`, `unsupported component type ${componentType}`);
    if (acc.type !== expectedType)
      fail(`${where}.type`, `expected ${expectedType} for ${element}, got ${JSON.stringify(acc.type)}`);
    const n = COMPONENTS[expectedType]!;
    if (acc.bufferView === undefined) fail(where, 'has no bufferView (all-zero accessors are not supported)');
    const bv = bufferViews[ref(acc.bufferView, `${where}.bufferView`, 'bufferViews', bufferViews.length)]!;
    const elementBytes = n * size;
    const stride = bv.byteStride ?? elementBytes;
    if (stride < elementBytes)
      fail(where, `byteStride ${stride} is smaller than one element (${elementBytes} bytes)`);
    const base = optInt(acc.byteOffset, `${where}.byteOffset`, 0);
    // checked before anything is allocated: the accessor must lie inside its buffer view
    if (base + (count - 1) * stride + elementBytes > bv.bytes.length)
      fail(
        where,
        `${count} elements of ${elementBytes} bytes (stride ${stride}) from byte ${base} need more than the ${bv.bytes.length} bytes of its buffer view (truncated?)`,
      );
    const view = new DataView(bv.bytes.buffer, bv.bytes.byteOffset, bv.bytes.byteLength);
    const out = new Float64Array(count * n);
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < n; k++) {
        const o = base + i * stride + k * size;
        let v: number;
        switch (componentType) {
          case 5120:
            v = view.getInt8(o);
            break;
          case 5121:
            v = view.getUint8(o);
            break;
          case 5122:
            v = view.getInt16(o, true);
            break;
          case 5123:
            v = view.getUint16(o, true);
            break;
          case 5125:
            v = view.getUint32(o, true);
            break;
          default:
            v = view.getFloat32(o, true);
        }
        out[i * n + k] = v;
      }
    }
    return out;
  };

  const meshesJson = list(json.meshes, 'meshes');
  const materials = list(json.materials, 'materials');
  const nodes = list(json.nodes, 'nodes');
  checkLimit(limits, 'nodes', nodes.length, path, 'nodes', `has ${nodes.length} nodes`);

  const skipped = new Map<string, number>();
  let converted = 0;
  const usedMeshes = new Set<number>();
  const meshes: MeshInput[] = [];

  const localMatrix = (node: Json, where: string): number[] => {
    if (node.matrix !== undefined) {
      if (node.translation !== undefined || node.rotation !== undefined || node.scale !== undefined)
        fail(where, 'has both matrix and translation/rotation/scale');
      return numbers(node.matrix, `${where}.matrix`, 16);
    }
    const [qx, qy, qz, qw] =
      node.rotation === undefined ? [0, 0, 0, 1] : numbers(node.rotation, `${where}.rotation`, 4);
    const qn = Math.hypot(qx!, qy!, qz!, qw!);
    if (!(qn > 1e-6)) fail(`${where}.rotation`, 'is a zero quaternion (expected a unit quaternion)');
    const [x, y, z, w] = [qx! / qn, qy! / qn, qz! / qn, qw! / qn];
    const rot = [
      1 - 2 * (y * y + z * z),
      2 * (x * y + z * w),
      2 * (x * z - y * w),
      0,
      2 * (x * y - z * w),
      1 - 2 * (x * x + z * z),
      2 * (y * z + x * w),
      0,
      2 * (x * z + y * w),
      2 * (y * z - x * w),
      1 - 2 * (x * x + y * y),
      0,
      0,
      0,
      0,
      1,
    ];
    const t =
      node.translation === undefined ? [0, 0, 0] : numbers(node.translation, `${where}.translation`, 3);
    const s = node.scale === undefined ? [1, 1, 1] : numbers(node.scale, `${where}.scale`, 3);
    return matMul(
      translationMatrix(t as [number, number, number]),
      matMul(rot, scaleMatrix(s as [number, number, number])),
    );
  };

  const addMesh = (nodeIndex: number, node: Json, world: number[]) => {
    const where = `nodes[${nodeIndex}].mesh`;
    const meshIndex = ref(node.mesh, where, 'meshes', meshesJson.length);
    usedMeshes.add(meshIndex);
    const mesh = obj(meshesJson[meshIndex], `meshes[${meshIndex}]`);
    const prims = list(mesh.primitives, `meshes[${meshIndex}].primitives`);
    const meshName = typeof mesh.name === 'string' ? mesh.name : `mesh_${meshIndex}`;
    prims.forEach((raw, pi) => {
      const pWhere = `meshes[${meshIndex}].primitives[${pi}]`;
      const what = `mesh '${meshName}' primitive ${pi}`;
      const prim = obj(raw, pWhere);
      const mode = optInt(prim.mode, `${pWhere}.mode`, 4, 0, 6);
      if (mode < 4) {
        const name = MODE_NAMES[mode]!;
        skipped.set(name, (skipped.get(name) ?? 0) + 1);
        return;
      }
      const attributes = obj(prim.attributes, `${pWhere}.attributes`);
      if (attributes.POSITION === undefined) fail(pWhere, 'has no POSITION attribute');
      const position = ref(
        attributes.POSITION,
        `${pWhere}.attributes.POSITION`,
        'accessors',
        accessors.length,
      );
      const vertices = readAccessor(position, what, 'vertices', 'vertices', 'VEC3');
      const nv = vertices.length / 3;
      let order: Float64Array;
      if (prim.indices !== undefined) {
        const ia = ref(prim.indices, `${pWhere}.indices`, 'accessors', accessors.length);
        order = readAccessor(ia, what, 'faces', 'indices', 'SCALAR');
      } else {
        order = new Float64Array(nv);
        for (let i = 0; i < nv; i++) order[i] = i;
      }
      let indices: Float64Array;
      if (mode === 4) {
        if (order.length % 3 !== 0)
          fail(pWhere, `${order.length} indices is not a multiple of 3 (TRIANGLES)`);
        indices = order;
      } else {
        // strips and fans become lists; strip triangles alternate their winding (glTF 2.0 §3.7.2.1)
        converted++;
        const n = Math.max(0, order.length - 2);
        indices = new Float64Array(3 * n);
        for (let i = 0; i < n; i++) {
          const tri =
            mode === 5
              ? i % 2 === 0
                ? [order[i]!, order[i + 1]!, order[i + 2]!]
                : [order[i + 1]!, order[i]!, order[i + 2]!]
              : [order[i + 1]!, order[i + 2]!, order[0]!];
          indices.set(tri, 3 * i);
        }
      }
      let matName = '';
      if (prim.material !== undefined) {
        const mi = ref(prim.material, `${pWhere}.material`, 'materials', materials.length);
        const m = obj(materials[mi], `materials[${mi}]`);
        if (typeof m.name === 'string') matName = m.name;
      }
      const base = typeof node.name === 'string' ? node.name : meshName;
      meshes.push({
        name: prims.length > 1 ? `${base}_${pi}` : base,
        materialId: matName,
        vertices,
        indices,
        transform: world,
        file: path,
      });
      checkLimit(limits, 'objects', meshes.length, path, pWhere, `more than ${meshes.length - 1} primitives`);
    });
  };

  // The node forest, walked with an explicit stack: a node listed twice or a cycle is an error,
  // never 2³⁰ visits or a stack overflow.
  const parentOf = new Int32Array(nodes.length).fill(-2); // -2 unvisited, -1 root
  const scenes = list(json.scenes, 'scenes');
  let roots: number[];
  if (scenes.length > 0) {
    const s = json.scene === undefined ? 0 : ref(json.scene, 'scene', 'scenes', scenes.length);
    roots = list(obj(scenes[s], `scenes[${s}]`).nodes, `scenes[${s}].nodes`).map((r, k) =>
      ref(r, `scenes[${s}].nodes[${k}]`, 'nodes', nodes.length),
    );
  } else {
    // no scene: every node that is nobody's child is a root
    const isChild = new Uint8Array(nodes.length);
    nodes.forEach((n, i) => {
      for (const [k, c] of list(obj(n, `nodes[${i}]`).children, `nodes[${i}].children`).entries())
        isChild[ref(c, `nodes[${i}].children[${k}]`, 'nodes', nodes.length)] = 1;
    });
    roots = nodes.map((_, i) => i).filter((i) => !isChild[i]);
  }
  const stack: { index: number; world: number[] }[] = [];
  const enqueue = (index: number, parent: number, world: number[], where: string) => {
    if (parentOf[index] !== -2) {
      const first = parentOf[index] === -1 ? 'the scene' : `nodes[${parentOf[index]}]`;
      fail(
        where,
        `node ${index} is already a child of ${first}: glTF nodes form trees (a node listed twice, or a cycle)`,
      );
    }
    parentOf[index] = parent;
    stack.push({ index, world });
  };
  for (const [k, r] of roots.entries()) enqueue(r, -1, IDENTITY, `scene nodes[${k}]`);
  while (stack.length > 0) {
    const { index, world: parentWorld } = stack.pop()!;
    const where = `nodes[${index}]`;
    const node = obj(nodes[index], where);
    const world = matMul(parentWorld, localMatrix(node, where));
    if (node.mesh !== undefined) addMesh(index, node, world);
    for (const [k, c] of list(node.children, `${where}.children`).entries())
      enqueue(
        ref(c, `${where}.children[${k}]`, 'nodes', nodes.length),
        index,
        world,
        `${where}.children[${k}]`,
      );
  }

  const warnings: string[] = [];
  for (const [mode, n] of skipped)
    warnings.push(`${path}: skipped ${n} ${mode} primitive(s): they have no surface`);
  if (converted > 0)
    warnings.push(`${path}: converted ${converted} triangle strip/fan primitive(s) to triangles`);
  const unused = meshesJson.length - usedMeshes.size;
  if (unused > 0)
    warnings.push(`${path}: ${unused} mesh(es) are not used by any node of the scene and were not loaded`);
  return { meshes, warnings };
}
