import type { Complex } from '../core/complex.ts';
import { VACUUM_PERMITTIVITY } from '../core/constants.ts';

/** Complex relative permittivity η = ε'r − j·σ/(ε0·ω). */
export function complexRelativePermittivity(
  relativePermittivity: number,
  conductivity: number,
  frequencyHz: number,
): Complex {
  return {
    re: relativePermittivity,
    im: -conductivity / (VACUUM_PERMITTIVITY * 2 * Math.PI * frequencyHz),
  };
}
