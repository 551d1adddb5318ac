/**
 * 3GPP TR 38.901 InH-Office path loss and median delay spread (baseline to compare a twin with).
 * fc in GHz, 1 ≤ d3D ≤ 150 m.
 */
export function inhOfficePathLossDb(d3D: number, fcGHz: number, los: boolean): number {
  const plLos = 32.4 + 17.3 * Math.log10(d3D) + 20 * Math.log10(fcGHz);
  if (los) return plLos;
  return Math.max(plLos, 38.3 * Math.log10(d3D) + 17.3 + 24.9 * Math.log10(fcGHz));
}

/** Median RMS delay spread in seconds: 10^lgDS. */
export function inhOfficeMedianDelaySpreadS(fcGHz: number, los: boolean): number {
  const lg = los ? -0.01 * Math.log10(1 + fcGHz) - 7.692 : -0.28 * Math.log10(1 + fcGHz) - 7.173;
  return 10 ** lg;
}
