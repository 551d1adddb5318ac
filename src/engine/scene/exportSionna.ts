import type { MaterialSpec } from '../materials/radioMaterial.ts';
import { writePly } from './ply.ts';
import type { Scene } from './types.ts';

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const safeFileName = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, '_');

/** Vertices and indices of one object, with shared vertices merged (for compact PLY files). */
export function objectMesh(scene: Scene, objectIndex: number): { vertices: number[]; indices: number[] } {
  const obj = scene.objects[objectIndex]!;
  const vertices: number[] = [];
  const indices: number[] = [];
  const seen = new Map<string, number>();
  for (let t = obj.triangleOffset; t < obj.triangleOffset + obj.triangleCount; t++) {
    for (let v = 0; v < 3; v++) {
      const o = 9 * t + 3 * v;
      const x = scene.positions[o]!;
      const y = scene.positions[o + 1]!;
      const z = scene.positions[o + 2]!;
      const key = `${x},${y},${z}`;
      let i = seen.get(key);
      if (i === undefined) {
        i = vertices.length / 3;
        seen.set(key, i);
        vertices.push(x, y, z);
      }
      indices.push(i);
    }
  }
  return { vertices, indices };
}

function bsdfXml(id: string, spec: MaterialSpec): string {
  const f = (name: string, v: number) => `    <float name="${name}" value="${v}"/>`;
  switch (spec.kind) {
    case 'itu':
      return [
        `  <bsdf type="itu-radio-material" id="${xmlEscape(id)}">`,
        `    <string name="type" value="${spec.ituName}"/>`,
        f('thickness', spec.thickness),
        f('scattering_coefficient', spec.scatteringCoefficient),
        f('xpd_coefficient', spec.xpdCoefficient),
        '  </bsdf>',
      ].join('\n');
    case 'custom':
      return [
        `  <bsdf type="radio-material" id="${xmlEscape(id)}">`,
        f('relative_permittivity', spec.relativePermittivity),
        f('conductivity', spec.conductivity),
        f('scattering_coefficient', spec.scatteringCoefficient),
        f('xpd_coefficient', spec.xpdCoefficient),
        f('thickness', spec.thickness),
        '  </bsdf>',
      ].join('\n');
    case 'unknown':
      // Sionna needs a radio material; keep the id so the person can still see it was unknown.
      return [
        `  <!-- material '${xmlEscape(id)}' was not identified; exported as ITU concrete -->`,
        `  <bsdf type="itu-radio-material" id="${xmlEscape(id)}">`,
        '    <string name="type" value="concrete"/>',
        '  </bsdf>',
      ].join('\n');
  }
}

/**
 * The scene as a Sionna RT / Mitsuba 3 scene: `<name>.xml` plus `meshes/<object>.ply`
 * (binary little-endian), with each material as itu-radio-material or radio-material.
 * Returns file path → bytes, ready to zip.
 */
export function exportSionnaScene(
  scene: Scene,
  comment = 'exported by RFTwin Studio',
): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const used = new Set<string>();
  const shapes: string[] = [];
  scene.objects.forEach((obj, i) => {
    let file = safeFileName(obj.name) || `object_${i}`;
    while (used.has(file)) file = `${file}_${i}`;
    used.add(file);
    const { vertices, indices } = objectMesh(scene, i);
    files.set(`meshes/${file}.ply`, writePly(vertices, indices));
    shapes.push(
      [
        `  <shape type="ply" id="mesh-${xmlEscape(obj.name)}">`,
        `    <string name="filename" value="meshes/${file}.ply"/>`,
        '    <boolean name="face_normals" value="true"/>',
        `    <ref id="${xmlEscape(obj.materialId)}" name="bsdf"/>`,
        '  </shape>',
      ].join('\n'),
    );
  });
  const bsdfs = Object.values(scene.materials).map((m) => bsdfXml(m.id, m.spec));
  const xml = [
    '<scene version="2.1.0">',
    `  <!-- ${xmlEscape(comment)} -->`,
    ...bsdfs,
    ...shapes,
    '</scene>',
    '',
  ].join('\n');
  files.set(`${safeFileName(scene.name) || 'scene'}.xml`, new TextEncoder().encode(xml));
  return files;
}
