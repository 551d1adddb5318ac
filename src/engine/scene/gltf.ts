import { InputError } from '../core/errors.ts';
import { type FileSource, resolveRelative } from './fileSource.ts';
import { IDENTITY, matMul, scaleMatrix, translationMatrix } from './matrix4.ts';
import type { MeshInput } from './types.ts';

interface GltfJson {
  asset?: { version?: string };
  scene?: number;
  scenes?: { nodes?: number[] }[];
  nodes?: {
    name?: string;
    mesh?: number;
    children?: number[];
    matrix?: number[];
    translation?: number[];
    rotation?: number[];
    scale?: number[];
  }[];
  meshes?: {
    name?: string;
    primitives: { attributes: Record<string, number>; indices?: number; material?: number; mode?: number }[];
  }[];
  materials?: { name?: string }[];
  accessors?: {
    bufferView?: number;
    byteOffset?: number;
    componentType: number;
    count: number;
    type: string;
  }[];
  bufferViews?: { buffer: number; byteOffset?: number; byteLength: number; byteStride?: number }[];
  buffers?: { uri?: string; byteLength: number }[];
}

const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT4: 16 };

/**
 * Read the triangle meshes of a glTF 2.0 (.gltf + .bin, data URIs) or .glb file, with node
 * transforms applied and each primitive's material name kept (it names the radio material).
 * Only geometry is read; textures are not needed for radio.
 */
export async function readGltfMeshes(source: FileSource, path: string): Promise<MeshInput[]> {
  const data = await source.read(path);
  let json: GltfJson;
  let glbBin: Uint8Array | undefined;
  const magic = data.length >= 4 ? new TextDecoder().decode(data.subarray(0, 4)) : '';
  if (magic === 'glTF') {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const total = view.getUint32(8, true);
    if (total > data.length)
      throw new InputError(
        path,
        'GLB header',
        `declares ${total} bytes but the file has ${data.length} (truncated)`,
      );
    let off = 12;
    let jsonText = '';
    while (off + 8 <= total) {
      const len = view.getUint32(off, true);
      const type = view.getUint32(off + 4, true);
      const chunk = data.subarray(off + 8, off + 8 + len);
      if (type === 0x4e4f534a) jsonText = new TextDecoder().decode(chunk);
      else if (type === 0x004e4942) glbBin = chunk;
      off += 8 + len;
    }
    if (!jsonText) throw new InputError(path, 'GLB', 'has no JSON chunk');
    json = parseJson(jsonText, path);
  } else {
    json = parseJson(new TextDecoder().decode(data), path);
  }
  if (!json.asset?.version?.startsWith('2'))
    throw new InputError(path, 'asset.version', 'expected a glTF 2.0 file');
  const buffers: Uint8Array[] = [];
  for (const [i, b] of (json.buffers ?? []).entries()) {
    if (b.uri === undefined) {
      if (!glbBin)
        throw new InputError(path, `buffers[${i}]`, 'has no uri and the file has no GLB binary chunk');
      buffers.push(glbBin);
    } else if (b.uri.startsWith('data:')) {
      const comma = b.uri.indexOf(',');
      buffers.push(Uint8Array.from(atob(b.uri.slice(comma + 1)), (c) => c.charCodeAt(0)));
    } else {
      const p = resolveRelative(path, decodeURIComponent(b.uri));
      if (!(await source.exists(p)))
        throw new InputError(path, `buffers[${i}]`, `references '${b.uri}' which does not exist`);
      buffers.push(await source.read(p));
    }
  }
  const readAccessor = (index: number, what: string): number[] => {
    const acc = json.accessors?.[index];
    if (!acc) throw new InputError(path, what, `accessor ${index} does not exist`);
    const bv = acc.bufferView !== undefined ? json.bufferViews?.[acc.bufferView] : undefined;
    if (!bv) throw new InputError(path, what, `accessor ${index} has no buffer view`);
    const buf = buffers[bv.buffer];
    if (!buf) throw new InputError(path, what, `buffer ${bv.buffer} does not exist`);
    const n = COMPONENTS[acc.type] ?? 1;
    const size = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 }[acc.componentType];
    if (!size) throw new InputError(path, what, `unsupported componentType ${acc.componentType}`);
    const stride = bv.byteStride ?? n * size;
    const base = (bv.byteOffset ?? 0) + (acc.byteOffset ?? 0);
    if (base + (acc.count - 1) * stride + n * size > buf.length) {
      throw new InputError(
        path,
        what,
        `accessor ${index} reads past the end of buffer ${bv.buffer} (truncated?)`,
      );
    }
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const out: number[] = [];
    for (let i = 0; i < acc.count; i++) {
      for (let k = 0; k < n; k++) {
        const o = base + i * stride + k * size;
        switch (acc.componentType) {
          case 5120:
            out.push(view.getInt8(o));
            break;
          case 5121:
            out.push(view.getUint8(o));
            break;
          case 5122:
            out.push(view.getInt16(o, true));
            break;
          case 5123:
            out.push(view.getUint16(o, true));
            break;
          case 5125:
            out.push(view.getUint32(o, true));
            break;
          default:
            out.push(view.getFloat32(o, true));
        }
      }
    }
    return out;
  };
  const meshes: MeshInput[] = [];
  const visit = (nodeIndex: number, parent: number[]) => {
    const node = json.nodes?.[nodeIndex];
    if (!node) throw new InputError(path, `nodes[${nodeIndex}]`, 'does not exist');
    let local = IDENTITY;
    if (node.matrix) local = node.matrix;
    else {
      const [qx, qy, qz, qw] = node.rotation ?? [0, 0, 0, 1];
      const rot = [
        1 - 2 * (qy! * qy! + qz! * qz!),
        2 * (qx! * qy! + qz! * qw!),
        2 * (qx! * qz! - qy! * qw!),
        0,
        2 * (qx! * qy! - qz! * qw!),
        1 - 2 * (qx! * qx! + qz! * qz!),
        2 * (qy! * qz! + qx! * qw!),
        0,
        2 * (qx! * qz! + qy! * qw!),
        2 * (qy! * qz! - qx! * qw!),
        1 - 2 * (qx! * qx! + qy! * qy!),
        0,
        0,
        0,
        0,
        1,
      ];
      const t = (node.translation ?? [0, 0, 0]) as [number, number, number];
      const s = (node.scale ?? [1, 1, 1]) as [number, number, number];
      local = matMul(translationMatrix(t), matMul(rot, scaleMatrix(s)));
    }
    const world = matMul(parent, local);
    if (node.mesh !== undefined) {
      const mesh = json.meshes?.[node.mesh];
      if (!mesh) throw new InputError(path, `nodes[${nodeIndex}]`, `mesh ${node.mesh} does not exist`);
      mesh.primitives.forEach((prim, pi) => {
        const what = `mesh '${mesh.name ?? node.mesh}' primitive ${pi}`;
        if ((prim.mode ?? 4) !== 4) return; // only triangle lists carry surfaces
        if (prim.attributes.POSITION === undefined)
          throw new InputError(path, what, 'has no POSITION attribute');
        const vertices = readAccessor(prim.attributes.POSITION, what);
        const indices =
          prim.indices !== undefined
            ? readAccessor(prim.indices, what)
            : vertices.map((_, i) => i).slice(0, vertices.length / 3);
        const matName = prim.material !== undefined ? (json.materials?.[prim.material]?.name ?? '') : '';
        const base = node.name ?? mesh.name ?? `mesh_${node.mesh}`;
        meshes.push({
          name: mesh.primitives.length > 1 ? `${base}_${pi}` : base,
          materialId: matName,
          vertices,
          indices,
          transform: world,
          file: path,
        });
      });
    }
    for (const c of node.children ?? []) visit(c, world);
  };
  const roots = json.scenes?.[json.scene ?? 0]?.nodes ?? (json.nodes ?? []).map((_, i) => i);
  for (const r of roots) visit(r, IDENTITY);
  return meshes;
}

function parseJson(text: string, path: string): GltfJson {
  try {
    return JSON.parse(text) as GltfJson;
  } catch (e) {
    throw new InputError(path, 'JSON', `is not valid JSON (${(e as Error).message})`);
  }
}
