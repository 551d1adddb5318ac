import type { MaterialSpec } from '../../engine/materials/index.ts';
import { setStatus, studio } from '../store.ts';
import { clearResults } from './results.ts';

/**
 * Override the material of a surface. scope 'material' changes every object that uses the
 * material (what calibration estimates); scope 'object' gives this object its own material.
 */
export function overrideMaterial(objectIndex: number, spec: MaterialSpec, scope: 'material' | 'object') {
  const s = studio.get();
  const scene = s.twin?.scene;
  if (!scene) return;
  const object = scene.objects[objectIndex]!;
  const currentId = s.objectMaterial[objectIndex] ?? object.materialId;
  const id = scope === 'material' ? currentId : `${object.name}-manual`;
  const what =
    spec.kind === 'itu'
      ? `ITU ${spec.ituName}`
      : spec.kind === 'custom'
        ? `εr ${spec.relativePermittivity}, σ ${spec.conductivity} S/m`
        : 'unknown';
  const evidence = `set by hand in the inspector (${what})`;
  const objectMaterial = [...s.objectMaterial];
  if (scope === 'object') objectMaterial[objectIndex] = id;
  studio.set({
    materials: { ...s.materials, [id]: { id, spec, source: 'manual', confidence: 1, evidence } },
    objectMaterial,
  });
  clearResults();
  setStatus({
    level: 'ok',
    message: `${scope === 'material' ? `Material ${id}` : `Object ${object.name}`} set to ${what}`,
  });
}
