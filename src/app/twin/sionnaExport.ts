import { strToU8, zipSync } from 'fflate';
import {
  DEFAULT_THICKNESS,
  type MaterialSpec,
  resolveRadioParameters,
} from '../../engine/materials/radioMaterial.ts';
import { writePly } from '../../engine/scene/ply.ts';
import type { Scene } from '../../engine/scene/types.ts';
import type { StudioMaterial } from '../store.ts';
import { objectMesh } from './twinJson.ts';

const xmlAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
/** file-system-safe mesh file name for an object */
export const meshFileName = (name: string, index: number) =>
  `${name.replace(/[^A-Za-z0-9_.-]/g, '_') || `object_${index}`}.ply`;

/**
 * Sionna RT 1.x scene XML for a twin: one bsdf per material (itu-radio-material for ITU
 * materials, radio-material with explicit ε′r, σ for custom and calibrated ones) and one PLY
 * shape per object, in world coordinates. Unknown materials are written with the fallback's
 * parameters at `frequencyHz`, so the file says exactly what was traced.
 */
export function sionnaSceneXml(
  scene: Scene,
  materials: Record<string, StudioMaterial>,
  objectMaterial: string[],
  frequencyHz: number,
): string {
  const lines = [
    '<scene version="2.1.0">',
    `  <!-- exported by RFTwin Studio from '${xmlAttr(scene.name)}' -->`,
  ];
  const used = [...new Set(objectMaterial)];
  for (const id of used) {
    const m = materials[id];
    const spec: MaterialSpec = m?.spec ?? { kind: 'unknown' };
    if (spec.kind === 'itu') {
      lines.push(
        `  <bsdf type="itu-radio-material" id="${xmlAttr(id)}">`,
        `    <string name="type" value="${spec.ituName}"/>`,
        `    <float name="thickness" value="${spec.thickness}"/>`,
        `    <float name="scattering_coefficient" value="${spec.scatteringCoefficient}"/>`,
        `    <float name="xpd_coefficient" value="${spec.xpdCoefficient}"/>`,
        '  </bsdf>',
      );
    } else {
      const p = resolveRadioParameters(spec, frequencyHz);
      lines.push(
        `  <bsdf type="radio-material" id="${xmlAttr(id)}">`,
        `    <float name="relative_permittivity" value="${p.relativePermittivity}"/>`,
        `    <float name="conductivity" value="${p.conductivity}"/>`,
        `    <float name="scattering_coefficient" value="${p.scatteringCoefficient}"/>`,
        `    <float name="xpd_coefficient" value="${p.xpdCoefficient}"/>`,
        `    <float name="thickness" value="${spec.kind === 'custom' ? spec.thickness : DEFAULT_THICKNESS}"/>`,
        '  </bsdf>',
      );
    }
  }
  scene.objects.forEach((o, i) => {
    lines.push(
      `  <shape type="ply" id="mesh-${xmlAttr(o.name)}">`,
      `    <string name="filename" value="meshes/${xmlAttr(meshFileName(o.name, i))}"/>`,
      '    <boolean name="face_normals" value="true"/>',
      `    <ref id="${xmlAttr(objectMaterial[i] ?? o.materialId)}" name="bsdf"/>`,
      '  </shape>',
    );
  });
  lines.push('</scene>', '');
  return lines.join('\n');
}

/** The twin as a zip: <name>/<name>.xml + <name>/meshes/*.ply, loadable by Sionna RT and by the studio. */
export function sionnaZip(
  scene: Scene,
  materials: Record<string, StudioMaterial>,
  objectMaterial: string[],
  frequencyHz: number,
): Uint8Array {
  const base = scene.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'twin';
  const files: Record<string, Uint8Array> = {
    [`${base}/${base}.xml`]: strToU8(sionnaSceneXml(scene, materials, objectMaterial, frequencyHz)),
  };
  scene.objects.forEach((o, i) => {
    const { vertices, indices } = objectMesh(scene, i);
    files[`${base}/meshes/${meshFileName(o.name, i)}`] = writePly(vertices, indices);
  });
  return zipSync(files, { level: 6 });
}
