/** Physical constants (SI), as in docs/physics.md. */
export const SPEED_OF_LIGHT = 299_792_458; // m/s
export const VACUUM_PERMITTIVITY = 8.8541878128e-12; // F/m

export function wavelength(frequencyHz: number): number {
  return SPEED_OF_LIGHT / frequencyHz;
}
