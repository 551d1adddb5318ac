import { InputError } from '../core/errors.ts';
import { cropImage, type RgbaImage } from '../core/image.ts';
import type { Scene } from '../scene/types.ts';
import { buildBvh } from '../tracer/bvh.ts';
import type { Camera } from './camera.ts';
import type { ClipEmbedder } from './clipEmbedder.ts';
import { cosine, type LabelScore, meanDirection, rankLabels } from './matching.ts';
import { type PatchOptions, type SurfacePatch, surfacePatches } from './patches.ts';
import {
  type RoughnessEstimate,
  roughnessFromTexture,
  roughnessPrior,
  type TextureWindowOptions,
  textureContrast,
} from './roughness.ts';
import { type ViewReport, viewReports } from './viewCheck.ts';
import { cropPurity, type PointView, pointVisibility, type VisibilityOptions } from './visibility.ts';
import {
  candidatePrompts,
  candidateValidAt,
  DEFAULT_CANDIDATES,
  type MaterialCandidate,
  ROUGHNESS_CLASSES,
} from './vocabulary.ts';

/** One posed photo. */
export interface ViewImage {
  name: string;
  camera: Camera;
  image: RgbaImage;
}

export interface SurfacePriorOptions extends PatchOptions, VisibilityOptions {
  candidates?: readonly MaterialCandidate[];
  frequencyHz?: number;
  /** keep candidates whose ITU material is not defined at the frequency */
  allowExtrapolation?: boolean;
  /** crop sides on the surface in metres (multi-scale), default [0.25, 0.5, 1] */
  cropScalesM?: number[];
  /** smallest / largest crop side in pixels, default 16 / half the shorter image side */
  minCropPx?: number;
  maxCropPx?: number;
  /** minimum share of a crop that must show the patch's own face, default 0.75 */
  minPurity?: number;
  /** crops embedded per patch at most (spread over views), default 24 */
  maxCropsPerPatch?: number;
  /** texture windows for the roughness (cell side, cells per window) */
  texture?: TextureWindowOptions;
  /** the file the views came from, for the error when none of them shows the scene */
  viewsFile?: string;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

/** What CLIP saw on a surface (a patch, an object, or all objects of one material). */
export interface SurfaceEvidence {
  label: string;
  candidate: MaterialCandidate;
  /** top-label probability × share of views whose own best label agrees */
  confidence: number;
  probability: number;
  /** cosine margin between the best and the second label */
  margin: number;
  top3: LabelScore[];
  viewsUsed: string[];
  crops: number;
  /** mean (1 − cosine) between each view's embedding and the all-view mean */
  viewSpread: number;
  /** share of views whose own best label equals `label` */
  viewAgreement: number;
  /**
   * roughness class and S prior: from the texture contrast of the surface's windows when the
   * views resolve them, else from CLIP's roughness prompts (`clip`: their ranking, kept as evidence)
   */
  roughness: RoughnessEstimate & { clip: LabelScore[] };
  /** texture contrast of each window measured on the surface (roughness.ts) */
  textureContrasts: number[];
}

export interface PatchPrior {
  patch: SurfacePatch;
  status: 'seen' | 'unseen';
  /** view-and-scale-averaged unit embedding (seen patches) */
  embedding?: Float32Array;
  /** per-view mean embeddings */
  viewEmbeddings: Map<string, Float32Array>;
  evidence?: SurfaceEvidence;
}

export interface SurfacePriorsResult {
  modelId: string;
  candidates: MaterialCandidate[];
  patches: PatchPrior[];
  /** per object index: aggregated over its seen patches (area-weighted); undefined if unseen */
  objects: (SurfaceEvidence | undefined)[];
  objectEmbeddings: (Float32Array | undefined)[];
  /** per view: whether it showed the scene (views that did not were left out) */
  views: ViewReport[];
  warnings: string[];
}

interface CropJob {
  patch: number;
  view: string;
  image: RgbaImage;
}

/** Text embeddings of each candidate (mean over synonyms × templates) and of the roughness classes. */
export async function labelEmbeddings(embedder: ClipEmbedder, candidates: readonly MaterialCandidate[]) {
  const cand: Float32Array[] = [];
  for (const c of candidates) cand.push(meanDirection(await embedder.embedTexts(candidatePrompts(c))));
  const rough: Float32Array[] = [];
  for (const r of ROUGHNESS_CLASSES) rough.push(meanDirection(await embedder.embedTexts(r.prompts)));
  return { cand, rough };
}

/**
 * The vision-priors pipeline: split the scene's faces into patches, find the views where each
 * sample point passes the depth test, crop the images around the projections at several
 * scales, embed the crops with CLIP, average per view and over views, and match the averages
 * against the candidate materials and roughness classes. Patches no view sees are "unseen".
 */
export async function estimateSurfacePriors(
  scene: Scene,
  views: ViewImage[],
  embedder: ClipEmbedder,
  options: SurfacePriorOptions = {},
): Promise<SurfacePriorsResult> {
  const warnings: string[] = [];
  const frequencyHz = options.frequencyHz ?? 28e9;
  let candidates = [...(options.candidates ?? DEFAULT_CANDIDATES)];
  if (!options.allowExtrapolation) {
    const dropped = candidates.filter((c) => !candidateValidAt(c, frequencyHz));
    if (dropped.length > 0) {
      warnings.push(
        `candidates not defined by ITU-R P.2040 at ${(frequencyHz / 1e9).toPrecision(4)} GHz were left out: ${dropped.map((c) => c.label).join(', ')} (allow extrapolation to keep them)`,
      );
      candidates = candidates.filter((c) => candidateValidAt(c, frequencyHz));
    }
  }
  if (candidates.length === 0) throw new Error('no candidate material is defined at this frequency');
  for (const v of views) {
    if (v.image.width !== v.camera.width || v.image.height !== v.camera.height) {
      throw new Error(
        `${v.name}: image is ${v.image.width}×${v.image.height} but its camera says ${v.camera.width}×${v.camera.height}`,
      );
    }
  }
  const bvh = buildBvh(scene);
  const patches = surfacePatches(scene, options);
  const scales = options.cropScalesM ?? [0.25, 0.5, 1];
  const minPurity = options.minPurity ?? 0.75;
  const maxCrops = options.maxCropsPerPatch ?? 24;
  options.onProgress?.(`${patches.length} surface patches, ${views.length} views`);
  // every patch sample point against every view, once: the view check and the crops use it
  const visibility: PointView[][][] = views.map((view) => {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    return patches.map((patch) =>
      patch.points.map((point) => pointVisibility(scene, bvh, view.camera, point, patch.faceId, options)),
    );
  });
  const reports = viewReports(scene, bvh, views, visibility);
  const usable = reports.flatMap((r, k) => (r.status === 'ok' ? [k] : []));
  for (const r of reports) if (r.status !== 'ok') warnings.push(`${r.message}; left out`);
  if (usable.length === 0) {
    throw new InputError(
      options.viewsFile ?? 'views',
      undefined,
      `no view shows the scene (${reports.map((r) => r.message).join('; ')}): check the camera poses against the scene's frame`,
    );
  }
  const jobs: CropJob[] = [];
  const contrasts: number[][] = patches.map(() => []);
  for (const [pi, patch] of patches.entries()) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    // candidate crops per view, best (most frontal, closest) first; then round robin over views
    const perView = new Map<string, { image: RgbaImage; quality: number }[]>();
    for (const vi of usable) {
      const view = views[vi]!;
      const cam = view.camera;
      const f = (cam.fx + cam.fy) / 2;
      const maxPx = options.maxCropPx ?? Math.floor(Math.min(cam.width, cam.height) / 2);
      const minPx = Math.min(options.minCropPx ?? 16, maxPx);
      const list: { image: RgbaImage; quality: number }[] = [];
      for (const [qi, point] of patch.points.entries()) {
        const pv = visibility[vi]![pi]![qi]!;
        if (pv.verdict !== 'visible') continue;
        const t = textureContrast(scene, bvh, cam, view.image, point, patch.faceId, pv, options.texture);
        if (t !== undefined) contrasts[pi]!.push(t);
        for (const s of scales) {
          const side = Math.round(Math.min(maxPx, Math.max(minPx, (s * f) / pv.distance!)));
          const x0 = Math.round(pv.x! - side / 2);
          const y0 = Math.round(pv.y! - side / 2);
          if (x0 < 0 || y0 < 0 || x0 + side > cam.width || y0 + side > cam.height) continue;
          if (cropPurity(scene, bvh, cam, patch.faceId, x0, y0, side) < minPurity) continue;
          list.push({
            image: cropImage(view.image, x0, y0, side, side),
            quality: pv.cosView! / pv.distance!,
          });
        }
      }
      if (list.length > 0)
        perView.set(
          view.name,
          list.sort((a, b) => b.quality - a.quality),
        );
    }
    const queues = [...perView.entries()];
    let taken = 0;
    for (let round = 0; taken < maxCrops && queues.some(([, l]) => l.length > round); round++) {
      for (const [name, list] of queues) {
        if (round < list.length && taken < maxCrops) {
          jobs.push({ patch: pi, view: name, image: list[round]!.image });
          taken++;
        }
      }
    }
  }
  for (const r of reports) {
    r.crops = jobs.filter((j) => j.view === r.name).length;
    if (r.status === 'ok' && r.crops === 0)
      warnings.push(`${r.message}, but no surface in it is large and clear enough to crop`);
  }
  if (jobs.length === 0) {
    throw new InputError(
      options.viewsFile ?? 'views',
      undefined,
      `no view shows any surface large enough to crop (${usable.length} views see the scene, but too small or too obliquely)`,
    );
  }
  options.onProgress?.(`embedding ${jobs.length} crops with ${embedder.modelId}`);
  const embeddings = await embedder.embedImages(
    jobs.map((j) => j.image),
    options.signal,
  );
  const labels = candidates.map((c) => c.label);
  const text = await labelEmbeddings(embedder, candidates);
  const roughLabels = ROUGHNESS_CLASSES.map((r) => r.label);

  const evidenceOf = (
    mean: Float32Array,
    viewEmb: Map<string, Float32Array>,
    crops: number,
    textureContrasts: number[],
  ): SurfaceEvidence => {
    const ranked = rankLabels(mean, labels, text.cand);
    const best = ranked[0]!;
    const views = [...viewEmb.keys()];
    const agree = views.filter(
      (v) => rankLabels(viewEmb.get(v)!, labels, text.cand)[0]!.label === best.label,
    ).length;
    const spread =
      views.reduce((s, v) => s + (1 - cosine(viewEmb.get(v)!, mean)), 0) / Math.max(1, views.length);
    const clip = rankLabels(mean, roughLabels, text.rough);
    // texture at known scale when the views resolve it; CLIP's roughness prompts otherwise
    const roughness =
      roughnessFromTexture(textureContrasts) ??
      roughnessPrior(
        roughLabels.map((l) => clip.find((r) => r.label === l)!.probability),
        'clip',
      );
    const viewAgreement = views.length > 0 ? agree / views.length : 0;
    return {
      label: best.label,
      candidate: candidates[labels.indexOf(best.label)]!,
      confidence: best.probability * viewAgreement,
      probability: best.probability,
      margin: best.score - (ranked[1]?.score ?? -1),
      top3: ranked.slice(0, 3),
      viewsUsed: views,
      crops,
      viewSpread: spread,
      viewAgreement,
      roughness: { ...roughness, clip },
      textureContrasts,
    };
  };

  const patchPriors: PatchPrior[] = patches.map((patch, pi) => {
    const mine = jobs.map((j, k) => ({ j, e: embeddings[k]! })).filter(({ j }) => j.patch === pi);
    if (mine.length === 0) return { patch, status: 'unseen', viewEmbeddings: new Map() };
    const byView = new Map<string, Float32Array[]>();
    for (const { j, e } of mine) byView.set(j.view, [...(byView.get(j.view) ?? []), e]);
    const viewEmbeddings = new Map([...byView].map(([v, es]) => [v, meanDirection(es)]));
    // every view counts once, however many crops it gave
    const embedding = meanDirection([...viewEmbeddings.values()]);
    return {
      patch,
      status: 'seen',
      embedding,
      viewEmbeddings,
      evidence: evidenceOf(embedding, viewEmbeddings, mine.length, contrasts[pi]!),
    };
  });

  const aggregate = (group: PatchPrior[]): { evidence?: SurfaceEvidence; embedding?: Float32Array } => {
    const seen = group.filter((p) => p.status === 'seen');
    if (seen.length === 0) return {};
    const embedding = meanDirection(
      seen.map((p) => p.embedding!),
      seen.map((p) => p.patch.area),
    );
    const viewEmb = new Map<string, Float32Array>();
    const names = new Set(seen.flatMap((p) => [...p.viewEmbeddings.keys()]));
    for (const v of names) {
      const withView = seen.filter((p) => p.viewEmbeddings.has(v));
      viewEmb.set(
        v,
        meanDirection(
          withView.map((p) => p.viewEmbeddings.get(v)!),
          withView.map((p) => p.patch.area),
        ),
      );
    }
    return {
      evidence: evidenceOf(
        embedding,
        viewEmb,
        seen.reduce((s, p) => s + p.evidence!.crops, 0),
        seen.flatMap((p) => p.evidence!.textureContrasts),
      ),
      embedding,
    };
  };
  const objects = scene.objects.map((_, oi) =>
    aggregate(patchPriors.filter((p) => p.patch.objectIndex === oi)),
  );
  return {
    modelId: embedder.modelId,
    candidates,
    patches: patchPriors,
    objects: objects.map((o) => o.evidence),
    objectEmbeddings: objects.map((o) => o.embedding),
    views: reports,
    warnings,
  };
}
