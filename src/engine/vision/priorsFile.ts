import { ITU_EDITION, ituNameFromLabel, ituParameters } from '../materials/itu.ts';
import { DEFAULT_THICKNESS } from '../materials/radioMaterial.ts';
import type { Scene } from '../scene/types.ts';
import { type RoughnessEstimate, roughnessFromTexture, roughnessPrior } from './roughness.ts';
import type { SurfaceEvidence, SurfacePriorsResult } from './surfacePriors.ts';

/**
 * The priors file: the calibration's materials JSON ({"materials": {"<material id>":
 * {relative_permittivity, conductivity, scattering_coefficient, thickness, itu_name}}}, read by
 * src/engine/io/materialsJson.ts and `rftwin calibrate --init`) plus, beside it, what the vision
 * pipeline saw: per material, per object and per patch the label, confidence and evidence
 * (views used, top-3 scores). Readers of the materials JSON ignore the extra sections.
 */
export interface PriorsFile {
  format: 'rftwin-priors/1';
  scene: string;
  frequency_hz: number;
  itu_edition: string;
  /**
   * 'vision' (CLIP labels → ITU table), 'translator' (CLIP embeddings → parameters learned from
   * calibrated twins, src/engine/vision/translatorPriors.ts) or 'name' (model unavailable: ITU
   * material from material/object names)
   */
  source: 'vision' | 'translator' | 'name';
  model?: string;
  /** the translator file, when source is 'translator' */
  translator?: string;
  materials: Record<string, MaterialPrior>;
  material_evidence: Record<string, Record<string, unknown>>;
  objects: Record<string, Record<string, unknown>>;
  /** per view of transforms.json: whether it showed the scene (vision priors) */
  views?: { view: number; file: string; status: string; crops: number; note: string }[];
  warnings: string[];
}

export interface MaterialPrior {
  relative_permittivity: number;
  conductivity: number;
  scattering_coefficient: number;
  /**
   * how sure the S prior is (std of S under the roughness class probabilities, roughness.ts);
   * calibration takes it as the width of its prior on S (absent: the calibration's default)
   */
  scattering_coefficient_std?: number;
  thickness: number;
  itu_name: string;
}

/**
 * Scattering coefficient ranges by ITU material from paper 000's Table 2 (docs/physics.md §7
 * roughness priors), for name-based priors where no image says how rough a surface is: the prior
 * is the range centre, its std that of a uniform distribution over the range.
 */
export const NAME_SCATTERING_RANGE: Readonly<Record<string, readonly [number, number]>> = {
  plasterboard: [0.07, 0.1],
  chipboard: [0.1, 0.2],
  ceiling_board: [0.2, 0.4],
  brick: [0.3, 0.5],
};

const round = (x: number, digits = 6) => Number(x.toPrecision(digits));

/**
 * An embedding as JSON: 6 significant digits keep cosines to ~1e-6, far below the differences
 * between materials, at about half the size of full float32 text.
 */
export const embeddingJson = (e: Float32Array): number[] => Array.from(e, (v) => round(v));

function thicknessOf(scene: Scene, materialId: string): number {
  const spec = scene.materials[materialId]?.spec;
  return spec && spec.kind !== 'unknown' ? spec.thickness : DEFAULT_THICKNESS;
}

function paramsOf(
  ituName: string,
  frequencyHz: number,
  allowExtrapolation: boolean,
  S: number,
  thickness: number,
  sStd?: number,
): MaterialPrior {
  const p = ituParameters(ituName, frequencyHz, { allowExtrapolation });
  return {
    relative_permittivity: round(p.relativePermittivity),
    conductivity: round(p.conductivity),
    scattering_coefficient: round(S, 4),
    ...(sStd !== undefined ? { scattering_coefficient_std: round(sStd, 3) } : {}),
    thickness,
    itu_name: ituName,
  };
}

/** The roughness evidence as the priors file writes it. */
const roughnessJson = (r: RoughnessEstimate) => ({
  label: r.label,
  source: r.source,
  scattering_coefficient: round(r.scatteringCoefficient, 4),
  scattering_coefficient_std: round(r.scatteringStd, 3),
  probabilities: Object.fromEntries(r.probabilities.map((p) => [p.label, round(p.probability, 4)])),
  ...(r.textureContrast !== undefined ? { texture_contrast: round(r.textureContrast, 4) } : {}),
  texture_windows: r.windows,
});

/**
 * Roughness of a group of seen surfaces (a material's objects): their texture windows pooled
 * when they give enough, else their CLIP roughness probabilities averaged (area-weighted).
 */
function groupRoughness(group: { e: SurfaceEvidence; area: number }[]): RoughnessEstimate {
  const texture = roughnessFromTexture(group.flatMap(({ e }) => e.textureContrasts));
  if (texture) return texture;
  const total = group.reduce((s, g) => s + g.area, 0) || 1;
  const p = [0, 0, 0];
  for (const { e, area } of group)
    e.roughness.clip.forEach((c) => {
      const k = e.roughness.probabilities.findIndex((q) => q.label === c.label);
      p[k]! += (c.probability * area) / total;
    });
  return roughnessPrior(p, 'clip');
}

const evidenceJson = (e: SurfaceEvidence) => ({
  label: e.label,
  itu_name: e.candidate.ituName,
  ...(e.candidate.proxyNote ? { proxy_note: e.candidate.proxyNote } : {}),
  confidence: round(e.confidence, 4),
  probability: round(e.probability, 4),
  margin: round(e.margin, 4),
  top3: e.top3.map((t) => ({
    label: t.label,
    score: round(t.score, 4),
    probability: round(t.probability, 4),
  })),
  views_used: e.viewsUsed,
  crops: e.crops,
  view_spread: round(e.viewSpread, 4),
  view_agreement: round(e.viewAgreement, 4),
  roughness: roughnessJson(e.roughness),
});

export interface PriorsFileOptions {
  frequencyHz: number;
  allowExtrapolation?: boolean;
  warnings?: string[];
}

/**
 * Name-based priors (the fallback when CLIP cannot be loaded): each scene material keeps its
 * ITU material when it has one, else its id or its objects' names are matched to an ITU
 * material (ituNameFromLabel); scattering comes from the roughness table by name.
 */
export function namePriors(scene: Scene, options: PriorsFileOptions): PriorsFile {
  const warnings = [...(options.warnings ?? [])];
  const materials: Record<string, MaterialPrior> = {};
  const evidence: Record<string, Record<string, unknown>> = {};
  const objects: Record<string, Record<string, unknown>> = {};
  for (const [id, m] of Object.entries(scene.materials)) {
    const users = scene.objects.filter((o) => o.materialId === id).map((o) => o.name);
    let ituName = m.spec.kind === 'itu' ? m.spec.ituName : ituNameFromLabel(id);
    let from = m.spec.kind === 'itu' ? 'scene ITU material' : `material id '${id}'`;
    if (!ituName) {
      for (const name of users) {
        ituName = ituNameFromLabel(name);
        if (ituName) {
          from = `object name '${name}'`;
          break;
        }
      }
    }
    const thickness = thicknessOf(scene, id);
    if (m.spec.kind === 'custom') {
      materials[id] = {
        relative_permittivity: m.spec.relativePermittivity,
        conductivity: m.spec.conductivity,
        scattering_coefficient: m.spec.scatteringCoefficient,
        thickness,
        itu_name: 'custom',
      };
      evidence[id] = { source: 'scene', note: 'explicit radio-material parameters kept' };
    } else if (ituName) {
      const range = NAME_SCATTERING_RANGE[ituName];
      const declared = m.spec.kind === 'itu' ? m.spec.scatteringCoefficient : 0;
      materials[id] = paramsOf(
        ituName,
        options.frequencyHz,
        options.allowExtrapolation ?? false,
        declared > 0 ? declared : range ? (range[0] + range[1]) / 2 : 0,
        thickness,
        declared === 0 && range ? (range[1] - range[0]) / Math.sqrt(12) : undefined,
      );
      evidence[id] = { source: 'name', from };
    } else {
      warnings.push(
        `material '${id}' (objects ${users.join(', ')}): no ITU material matches its name; choose one manually (left out of the priors)`,
      );
      evidence[id] = { source: 'none', note: 'no name match; manual choice needed' };
    }
    for (const name of users) objects[name] = { material_id: id, status: 'name', itu_name: ituName ?? null };
  }
  return {
    format: 'rftwin-priors/1',
    scene: scene.name,
    frequency_hz: options.frequencyHz,
    itu_edition: ITU_EDITION,
    source: 'name',
    materials,
    material_evidence: evidence,
    objects,
    warnings,
  };
}

/**
 * Vision priors: each scene material gets the label of its objects' seen surfaces (their
 * area-weighted mean embedding, matched again), with ε'r, σ from the label's ITU material and S
 * from the roughness match. Materials none of whose objects were seen keep name-based priors.
 */
export function visionPriorsFile(
  scene: Scene,
  result: SurfacePriorsResult,
  options: PriorsFileOptions,
): PriorsFile {
  const fallback = namePriors(scene, options);
  const warnings = [...result.warnings, ...(options.warnings ?? [])];
  const materials: Record<string, MaterialPrior> = {};
  const evidence: Record<string, Record<string, unknown>> = {};
  const objects: Record<string, Record<string, unknown>> = {};
  const allowExtrapolation = options.allowExtrapolation ?? false;
  for (const [oi, o] of scene.objects.entries()) {
    const e = result.objects[oi];
    const patches = result.patches
      .filter((p) => p.patch.objectIndex === oi)
      .map((p) => ({
        id: p.patch.id,
        area_m2: round(p.patch.area, 4),
        status: p.status,
        ...(p.evidence
          ? {
              label: p.evidence.label,
              confidence: round(p.evidence.confidence, 4),
              views_used: p.evidence.viewsUsed,
              top3: p.evidence.top3.map((t) => ({ label: t.label, score: round(t.score, 4) })),
            }
          : {}),
        // the patch's mean CLIP image embedding: with the object's, what a translator is fitted on
        ...(p.embedding ? { embedding: embeddingJson(p.embedding) } : {}),
      }));
    if (!e) {
      objects[o.name] = { material_id: o.materialId, status: 'unseen', label: 'unseen', patches };
      continue;
    }
    const params = paramsOf(
      e.candidate.ituName,
      options.frequencyHz,
      allowExtrapolation,
      e.roughness.scatteringCoefficient,
      thicknessOf(scene, o.materialId),
      e.roughness.scatteringStd,
    );
    objects[o.name] = {
      material_id: o.materialId,
      status: 'seen',
      ...params,
      ...evidenceJson(e),
      embedding: embeddingJson(result.objectEmbeddings[oi]!),
      patches,
    };
  }
  for (const id of Object.keys(scene.materials)) {
    const members = scene.objects.map((o, oi) => ({ o, oi })).filter(({ o }) => o.materialId === id);
    const seen = members.filter(({ oi }) => result.objects[oi]);
    if (seen.length === 0) {
      if (fallback.materials[id]) materials[id] = fallback.materials[id]!;
      evidence[id] = {
        source: 'name',
        note: 'no object of this material was seen by any view',
        objects: members.map(({ o }) => o.name),
      };
      continue;
    }
    // area-weighted vote of the seen objects' labels (objects of one material usually agree)
    const votes = new Map<string, { weight: number; e: SurfaceEvidence }>();
    for (const { oi } of seen) {
      const e = result.objects[oi]!;
      const area = result.patches
        .filter((p) => p.patch.objectIndex === oi && p.status === 'seen')
        .reduce((s, p) => s + p.patch.area, 0);
      const v = votes.get(e.label);
      votes.set(e.label, {
        weight: (v?.weight ?? 0) + area * e.confidence,
        e: v && v.e.confidence >= e.confidence ? v.e : e,
      });
    }
    const total = [...votes.values()].reduce((s, v) => s + v.weight, 0);
    const [label, best] = [...votes.entries()].sort((a, b) => b[1].weight - a[1].weight)[0]!;
    const roughness = groupRoughness(
      seen.map(({ oi }) => ({
        e: result.objects[oi]!,
        area: result.patches
          .filter((p) => p.patch.objectIndex === oi && p.status === 'seen')
          .reduce((s, p) => s + p.patch.area, 0),
      })),
    );
    materials[id] = paramsOf(
      best.e.candidate.ituName,
      options.frequencyHz,
      allowExtrapolation,
      roughness.scatteringCoefficient,
      thicknessOf(scene, id),
      roughness.scatteringStd,
    );
    evidence[id] = {
      source: 'vision',
      label,
      confidence: round((total > 0 ? best.weight / total : 0) * best.e.confidence, 4),
      objects: members.map(({ o }) => o.name),
      votes: Object.fromEntries([...votes].map(([l, v]) => [l, round(v.weight, 4)])),
      scene_declared: fallback.materials[id]?.itu_name ?? null,
      roughness: roughnessJson(roughness),
    };
    if (fallback.materials[id] && fallback.materials[id]!.itu_name !== best.e.candidate.ituName) {
      warnings.push(
        `material '${id}': the scene says ${fallback.materials[id]!.itu_name}, the images look like ${label} (${best.e.candidate.ituName})`,
      );
    }
  }
  return {
    format: 'rftwin-priors/1',
    scene: scene.name,
    frequency_hz: options.frequencyHz,
    itu_edition: ITU_EDITION,
    source: 'vision',
    model: result.modelId,
    materials,
    material_evidence: evidence,
    objects,
    views: result.views.map((v) => ({
      view: v.index,
      file: v.name,
      status: v.status,
      crops: v.crops,
      note: v.message,
    })),
    warnings,
  };
}

export const priorsJsonText = (file: PriorsFile): string => `${JSON.stringify(file, null, 2)}\n`;
