import { ITU_MATERIAL_NAMES, ITU_MATERIALS, ituNameFromLabel } from '../materials/itu.ts';

/**
 * Open-vocabulary material candidates: what CLIP is asked to recognise, and which ITU-R P.2040
 * material gives each one its radio parameters.
 */
export interface MaterialCandidate {
  /** label reported to the person, e.g. "concrete", "carpet" */
  label: string;
  /** ITU material whose ε'r, σ the label maps to */
  ituName: string;
  /** words filled into the prompt templates (the label's own words first) */
  synonyms: string[];
  /** why a non-ITU label maps to `ituName` (absent for ITU materials) */
  proxyNote?: string;
}

/** Prompt templates; "{}" is replaced by each synonym (paper 000 §4.2 style prompt ensembling). */
export const PROMPT_TEMPLATES = [
  'a photo of a {} wall',
  'a photo of a {} surface',
  'a close-up photo of {} texture',
  'a photo of a {} floor',
];

const ITU_SYNONYMS: Record<string, string[]> = {
  concrete: ['concrete', 'cement', 'pavement'],
  brick: ['brick', 'brickwork', 'masonry'],
  plasterboard: ['plasterboard', 'drywall', 'gypsum board'],
  wood: ['wood', 'wooden', 'timber'],
  glass: ['glass', 'window', 'glazing'],
  ceiling_board: ['ceiling board', 'acoustic ceiling tile', 'suspended ceiling'],
  chipboard: ['chipboard', 'particleboard', 'osb'],
  plywood: ['plywood', 'veneer sheet'],
  marble: ['marble', 'polished stone', 'granite'],
  floorboard: ['floorboard', 'hardwood floor', 'parquet'],
  metal: ['metal', 'steel', 'aluminium'],
  very_dry_ground: ['very dry ground', 'dry sand'],
  medium_dry_ground: ['medium dry ground', 'soil'],
  wet_ground: ['wet ground', 'mud'],
};

/** Common indoor materials outside the ITU table, with the ITU material used as their proxy. */
const COMMON: MaterialCandidate[] = [
  {
    label: 'carpet',
    ituName: 'ceiling_board',
    synonyms: ['carpet', 'rug', 'carpeted'],
    proxyNote:
      'carpet is not in ITU-R P.2040; ceiling_board (low-density fibrous board, εr≈1.5) is the closest',
  },
  {
    label: 'fabric',
    ituName: 'ceiling_board',
    synonyms: ['fabric', 'cloth', 'upholstery'],
    proxyNote: 'fabric is not in ITU-R P.2040; ceiling_board (low-density fibrous, εr≈1.5) is the closest',
  },
  {
    label: 'plaster',
    ituName: 'plasterboard',
    synonyms: ['plaster', 'stucco', 'rendered'],
    proxyNote: 'plaster is not in ITU-R P.2040; plasterboard (gypsum) is the closest',
  },
  {
    label: 'tile',
    ituName: 'marble',
    synonyms: ['tile', 'ceramic tiles', 'tiled'],
    proxyNote: 'ceramic tile is not in ITU-R P.2040; marble (dense stone, εr≈7) is the closest',
  },
];

export const DEFAULT_CANDIDATES: readonly MaterialCandidate[] = [
  ...ITU_MATERIAL_NAMES.map((name) => ({
    label: name,
    ituName: name,
    synonyms: ITU_SYNONYMS[name] ?? [name.replace(/_/g, ' ')],
  })),
  ...COMMON,
];

/**
 * Candidates from a comma-separated list ("brick,concrete,carpet"): known labels keep their
 * synonyms; other words map to an ITU material by name (ituNameFromLabel) and are used as their
 * own prompt; a word that maps to nothing is an error naming it.
 */
export function candidatesFromList(list: string): MaterialCandidate[] {
  const words = list
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '');
  if (words.length === 0) throw new Error('candidate list is empty');
  return words.map((word) => {
    const known = DEFAULT_CANDIDATES.find(
      (c) => c.label === word.toLowerCase() || c.label === word.toLowerCase().replace(/ /g, '_'),
    );
    if (known) return known;
    const ituName = ituNameFromLabel(word);
    if (!ituName) {
      throw new Error(
        `candidate '${word}' does not map to an ITU material (known labels: ${DEFAULT_CANDIDATES.map((c) => c.label).join(', ')})`,
      );
    }
    return {
      label: word,
      ituName,
      synonyms: [word],
      proxyNote: `'${word}' mapped to ITU ${ituName} by name`,
    };
  });
}

/** Whether a candidate's ITU material is defined at the frequency. */
export function candidateValidAt(c: MaterialCandidate, frequencyHz: number): boolean {
  const f = frequencyHz / 1e9;
  return (Object.hasOwn(ITU_MATERIALS, c.ituName) ? ITU_MATERIALS[c.ituName]! : []).some(
    (b) => f >= b.fMinGHz && f <= b.fMaxGHz,
  );
}

/**
 * Surface roughness classes with the scattering coefficient ranges of paper 000's Table 2
 * (docs/physics.md §7): painted wall plasterboard Ra 2.3 µm → S 0.07–0.1 ("smooth"); chipboard
 * and cardboard 2.7–3.3 µm → 0.1–0.2 ("slightly rough"); brick 14.7 µm → 0.3–0.5 ("rough").
 * The prior is the range centre of the most probable class (roughness.ts).
 */
export type RoughnessLabel = 'smooth' | 'slightly rough' | 'rough';

export interface RoughnessClass {
  label: RoughnessLabel;
  /** CLIP prompts describing the class (used when the images do not resolve the texture scale) */
  prompts: string[];
  scatteringRange: [number, number];
  /** Table 2's surfaces of this class and their measured arithmetic roughness Ra (µm) */
  table: string;
}

export const ROUGHNESS_CLASSES: readonly RoughnessClass[] = [
  {
    label: 'smooth',
    prompts: [
      'a photo of a smooth surface',
      'a photo of a polished surface',
      'a photo of a glossy painted wall',
    ],
    scatteringRange: [0.07, 0.1],
    table: 'wall plasterboard, Ra 2.3 µm',
  },
  {
    label: 'slightly rough',
    prompts: [
      'a photo of a slightly rough surface',
      'a photo of a matte surface',
      'a photo of a fine grained surface',
    ],
    scatteringRange: [0.1, 0.2],
    table: 'chipboard Ra 2.7 µm, cardboard Ra 3.3 µm',
  },
  {
    label: 'rough',
    prompts: [
      'a photo of a rough surface',
      'a photo of a coarse textured surface',
      'a photo of a very rough wall',
    ],
    scatteringRange: [0.3, 0.5],
    table: 'brick, Ra 14.7 µm',
  },
];

export const scatteringOfRoughness = (r: RoughnessClass): number =>
  (r.scatteringRange[0] + r.scatteringRange[1]) / 2;

export function candidatePrompts(c: MaterialCandidate): string[] {
  return c.synonyms.flatMap((s) => PROMPT_TEMPLATES.map((t) => t.replace('{}', s)));
}
