import { wavelength } from '../core/constants.ts';
import { norm3 } from '../core/norm.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { PathGeometry } from '../tracer/path.ts';

/**
 * Near-field guard (docs/physics.md §2). Ray optics, the 1/r spreading of §5, the plane-wave
 * coefficients of §4 and the far-field antenna patterns of §6 need the wave to have travelled many
 * wavelengths from the point it spreads from. The wave spreads from the Tx and restarts from every
 * scattering and diffraction point (the field divides by those distances: 1/r, 1/(rᵢ·r_s),
 * √(s′/(s(s + s′)))); reflections and transmissions do not restart it (the image source lies at
 * the unfolded distance). So the distance checked is the shortest of the Tx–Rx distance and, along
 * each path, the unfolded length between consecutive spreading points (Tx, scattering, diffraction,
 * Rx). It reads the same from either end, so the flag is reciprocal. A link with that distance
 * below NEAR_FIELD_WAVELENGTHS·λ is flagged: its metrics are reported but marked (CLI JSON
 * `near_field`, radio maps, the studio's link panel), never shown as if valid. Example: a receiver
 * 1 nm from the transmitter would otherwise report a path gain of +118.6 dB at 28 GHz.
 */
export const NEAR_FIELD_WAVELENGTHS = 3;

export interface NearFieldCheck {
  /** the shortest of the Tx–Rx distance and every path's spreading distances (m), see above */
  shortestDistanceM: number;
  /** that distance in wavelengths */
  wavelengths: number;
  /** shortestDistance < NEAR_FIELD_WAVELENGTHS·λ */
  nearField: boolean;
}

/** The near-field check of a link from its end points and the paths it reports. */
export function nearFieldCheck(
  tx: Vec3,
  rx: Vec3,
  paths: readonly PathGeometry[],
  frequencyHz: number,
): NearFieldCheck {
  let shortest = norm3(rx[0] - tx[0], rx[1] - tx[1], rx[2] - tx[2]);
  for (const p of paths) {
    const its = p.interactions;
    let a = tx;
    let travelled = 0;
    for (let k = 0; k <= its.length; k++) {
      const b = k === its.length ? rx : its[k]!.point;
      travelled += norm3(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
      a = b;
      const type = its[k]?.type;
      if (k === its.length || type === 'scattering' || type === 'diffraction') {
        shortest = Math.min(shortest, travelled);
        travelled = 0;
      }
    }
  }
  const wavelengths = shortest / wavelength(frequencyHz);
  return { shortestDistanceM: shortest, wavelengths, nearField: wavelengths < NEAR_FIELD_WAVELENGTHS };
}
