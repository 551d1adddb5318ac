import type { PriorsFile } from '../../engine/vision/index.ts';
import type { StudioMaterial } from '../store.ts';
import type { VisionPriorsOutcome } from '../worker/protocol.ts';

/*
 * How a priors file (the one `rftwin priors` writes) becomes the studio's materials: each prior
 * replaces the material unless a person set it by hand or calibrated it; vision priors carry
 * CLIP's confidence (shaded in the viewport and legend), name-based ones none. The source says
 * what set each material: the translator (values learned from calibrated twins), a CLIP label
 * (its ITU values) or a name.
 */

/** Materials of a person's deliberate choice are not replaced by priors. */
const KEEP_SOURCES = new Set<StudioMaterial['source']>(['manual', 'calibrated']);

const pct = (x: number) => `${Math.round(100 * x)} %`;

/** The priors file as studio materials; returns the new materials and which ones were kept. */
export function materialsFromPriors(
  current: Record<string, StudioMaterial>,
  out: VisionPriorsOutcome,
): { materials: Record<string, StudioMaterial>; kept: string[]; applied: string[] } {
  const file: PriorsFile = out.file;
  const materials = { ...current };
  const kept: string[] = [];
  const applied: string[] = [];
  for (const [id, p] of Object.entries(file.materials)) {
    const ev = file.material_evidence[id] ?? {};
    const cur = current[id];
    // explicit parameters in the scene file are kept by the name fallback too (itu_name 'custom')
    if (p.itu_name === 'custom') continue;
    if (cur && KEEP_SOURCES.has(cur.source)) {
      kept.push(id);
      continue;
    }
    // translator priors (CLIP embeddings → parameters learned from calibrated twins) are vision
    // priors whose values are the translator's, not the label's ITU values
    const translated = ev.source === 'translator';
    const vision = ev.source === 'vision' || translated;
    const others = Object.entries((ev.votes as Record<string, number>) ?? {}).filter(([l]) => l !== ev.label);
    const how = out.device ? `CLIP ${out.model} (${out.device})` : `CLIP ${out.model}`;
    const learned = translated
      ? `translator ${file.translator ?? ''}: ${((ev.translated as string[]) ?? [])
          .map(
            (k) =>
              `${k} ${String(p[k as keyof typeof p])} (label ${String((ev.label_values as Record<string, number>)?.[k])})`,
          )
          .join(', ')}; `
      : '';
    const evidence = vision
      ? `${learned}${how}: ${String(ev.label)} ${pct(Number(ev.confidence))} over ${(ev.objects as string[]).length} object(s)${
          others.length ? `; other objects looked like ${others.map(([l]) => l).join(', ')}` : ''
        }${ev.translator_skipped ? `; ${String(ev.translator_skipped)}` : ''}`
      : `name-based prior (${String(ev.from ?? ev.note ?? 'names')})${out.unavailable ? '; CLIP unavailable' : ''}`;
    const xpdCoefficient = cur && cur.spec.kind !== 'unknown' ? cur.spec.xpdCoefficient : 0;
    materials[id] = {
      id,
      spec: translated
        ? {
            kind: 'custom',
            relativePermittivity: p.relative_permittivity,
            conductivity: p.conductivity,
            scatteringCoefficient: p.scattering_coefficient,
            thickness: p.thickness,
            xpdCoefficient,
          }
        : {
            kind: 'itu',
            ituName: p.itu_name,
            thickness: p.thickness,
            scatteringCoefficient: p.scattering_coefficient,
            xpdCoefficient,
          },
      source: translated ? 'translator' : vision ? 'vision' : 'name',
      ...(p.scattering_coefficient_std !== undefined
        ? { priorStd: { scattering_coefficient: p.scattering_coefficient_std } }
        : {}),
      // names carry no measured confidence; only CLIP's is shown (and shaded)
      ...(vision ? { confidence: Number(ev.confidence) } : {}),
      evidence,
    };
    applied.push(id);
  }
  return { materials, kept, applied };
}
