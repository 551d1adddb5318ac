import { wavelength } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { PathGeometry } from '../tracer/path.ts';

/**
 * Near-field guard (docs/physics.md §2). Ray optics, the 1/r spreading of §5 and the far-field
 * antenna patterns of §6 hold only when every distance a wave travels between two points — Tx to
 * Rx, and each segment of each path — is many wavelengths. A link whose shortest such distance is
 * below NEAR_FIELD_WAVELENGTHS·λ is flagged: its metrics are reported but marked (CLI JSON
 * `near_field`, the studio's link panel), never shown as if valid. Example: a receiver 1 nm from
 * the transmitter would otherwise report a path gain of +118.6 dB at 28 GHz.
 */
export const NEAR_FIELD_WAVELENGTHS = 3;

export interface NearFieldCheck {
  /** the shortest of the Tx–Rx distance and every segment of the link's paths (m) */
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
  let shortest = Math.hypot(rx[0] - tx[0], rx[1] - tx[1], rx[2] - tx[2]);
  for (const p of paths) {
    let a = tx;
    for (let k = 0; k <= p.interactions.length; k++) {
      const b = k === p.interactions.length ? rx : p.interactions[k]!.point;
      shortest = Math.min(shortest, Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]));
      a = b;
    }
  }
  const wavelengths = shortest / wavelength(frequencyHz);
  return { shortestDistanceM: shortest, wavelengths, nearField: wavelengths < NEAR_FIELD_WAVELENGTHS };
}
