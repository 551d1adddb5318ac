/**
 * ITU-R P.2040 radio materials as shipped by Sionna RT (editions -2/-3).
 * ε'r = a·f^b and σ = c·f^d with f in GHz, σ in S/m.
 */
export const ITU_EDITION = 'ITU-R P.2040-2/-3 (Sionna RT table)';

export interface ItuBand {
  a: number;
  b: number;
  c: number;
  d: number;
  /** validity range in GHz, inclusive */
  fMinGHz: number;
  fMaxGHz: number;
}

export const ITU_MATERIALS: Readonly<Record<string, readonly ItuBand[]>> = {
  concrete: [{ a: 5.24, b: 0, c: 0.0462, d: 0.7822, fMinGHz: 1, fMaxGHz: 100 }],
  brick: [{ a: 3.91, b: 0, c: 0.0238, d: 0.16, fMinGHz: 1, fMaxGHz: 40 }],
  plasterboard: [{ a: 2.73, b: 0, c: 0.0085, d: 0.9395, fMinGHz: 1, fMaxGHz: 100 }],
  wood: [{ a: 1.99, b: 0, c: 0.0047, d: 1.0718, fMinGHz: 0.001, fMaxGHz: 100 }],
  glass: [
    { a: 6.31, b: 0, c: 0.0036, d: 1.3394, fMinGHz: 0.1, fMaxGHz: 100 },
    { a: 5.79, b: 0, c: 0.0004, d: 1.658, fMinGHz: 220, fMaxGHz: 450 },
  ],
  ceiling_board: [
    { a: 1.48, b: 0, c: 0.0011, d: 1.075, fMinGHz: 1, fMaxGHz: 100 },
    { a: 1.52, b: 0, c: 0.0029, d: 1.029, fMinGHz: 220, fMaxGHz: 450 },
  ],
  chipboard: [{ a: 2.58, b: 0, c: 0.0217, d: 0.78, fMinGHz: 1, fMaxGHz: 100 }],
  plywood: [{ a: 2.71, b: 0, c: 0.33, d: 0, fMinGHz: 1, fMaxGHz: 40 }],
  marble: [{ a: 7.074, b: 0, c: 0.0055, d: 0.9262, fMinGHz: 1, fMaxGHz: 60 }],
  floorboard: [{ a: 3.66, b: 0, c: 0.0044, d: 1.3515, fMinGHz: 50, fMaxGHz: 100 }],
  metal: [{ a: 1, b: 0, c: 1e7, d: 0, fMinGHz: 1, fMaxGHz: 100 }],
  very_dry_ground: [{ a: 3, b: 0, c: 0.00015, d: 2.52, fMinGHz: 1, fMaxGHz: 10 }],
  medium_dry_ground: [{ a: 15, b: -0.1, c: 0.035, d: 1.63, fMinGHz: 1, fMaxGHz: 10 }],
  wet_ground: [{ a: 30, b: -0.4, c: 0.15, d: 1.3, fMinGHz: 1, fMaxGHz: 10 }],
};

export const ITU_MATERIAL_NAMES = Object.keys(ITU_MATERIALS);

export class FrequencyRangeError extends Error {
  constructor(
    readonly material: string,
    readonly frequencyHz: number,
    readonly ranges: string,
  ) {
    super(
      `material '${material}' is defined by ${ITU_EDITION} only for ${ranges} GHz, not ${(frequencyHz / 1e9).toPrecision(4)} GHz (pass allowExtrapolation / --extrapolate to use the nearest band anyway)`,
    );
    this.name = 'FrequencyRangeError';
  }
}

export interface ItuOptions {
  /** use the nearest band outside its validity range instead of failing */
  allowExtrapolation?: boolean;
}

/** Relative permittivity ε'r and conductivity σ (S/m) of an ITU material at a frequency. */
export function ituParameters(
  name: string,
  frequencyHz: number,
  options: ItuOptions = {},
): { relativePermittivity: number; conductivity: number } {
  const bands = Object.hasOwn(ITU_MATERIALS, name) ? ITU_MATERIALS[name] : undefined;
  if (!bands) throw new Error(`unknown ITU material '${name}' (known: ${ITU_MATERIAL_NAMES.join(', ')})`);
  if (!(frequencyHz > 0) || !Number.isFinite(frequencyHz)) {
    throw new Error(`frequency must be a positive number of Hz, got ${frequencyHz}`);
  }
  const f = frequencyHz / 1e9;
  let band = bands.find((b) => f >= b.fMinGHz && f <= b.fMaxGHz);
  if (!band) {
    if (!options.allowExtrapolation) {
      throw new FrequencyRangeError(
        name,
        frequencyHz,
        bands.map((b) => `${b.fMinGHz}–${b.fMaxGHz}`).join(' or '),
      );
    }
    const gap = (b: ItuBand) => (f < b.fMinGHz ? b.fMinGHz / f : f / b.fMaxGHz);
    band = [...bands].sort((x, y) => gap(x) - gap(y))[0]!;
  }
  return { relativePermittivity: band.a * f ** band.b, conductivity: band.c * f ** band.d };
}

/**
 * Map a scene material id or mesh material name to an ITU material name:
 * `itu_concrete`, `mat-itu_concrete`, `concrete`, `Wall_brick` → brick (keyword match).
 * Returns undefined when nothing matches.
 */
export function ituNameFromLabel(label: string): string | undefined {
  const lower = label.toLowerCase();
  const direct = lower.replace(/^mat-/, '').replace(/^itu_/, '');
  if (Object.hasOwn(ITU_MATERIALS, direct)) return direct;
  // longest names first so that "ceiling_board" wins over "board" style partial matches
  const byLength = [...ITU_MATERIAL_NAMES].sort((a, b) => b.length - a.length);
  for (const name of byLength) {
    if (lower.includes(name) || lower.includes(name.replace(/_/g, ''))) return name;
  }
  const synonyms: Record<string, string> = {
    cement: 'concrete',
    steel: 'metal',
    aluminium: 'metal',
    aluminum: 'metal',
    iron: 'metal',
    window: 'glass',
    drywall: 'plasterboard',
    gypsum: 'plasterboard',
    plaster: 'plasterboard',
    timber: 'wood',
    door: 'wood',
    stone: 'marble',
    granite: 'marble',
    ceiling: 'ceiling_board',
    ground: 'medium_dry_ground',
  };
  for (const [word, name] of Object.entries(synonyms)) if (lower.includes(word)) return name;
  return undefined;
}
