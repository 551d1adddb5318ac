import { DEFAULT_CHANNEL_SETTINGS } from '../channel/settings.ts';

/**
 * Link budget and the IEEE 802.11ad single-carrier MCS table (docs/physics.md §16).
 *
 * IEEE Std 802.11ad-2012, Table 21-3 "DMG receiver sensitivity" (in IEEE Std 802.11-2016,
 * clause 20, the same values) gives per MCS the minimum input level for a PER below 1 % with
 * 4096-octet PSDUs, stated for a receiver of 10 dB noise figure and 5 dB implementation loss;
 * the PHY data rates are those of the DMG SC modulation and coding schemes (§21.6). The SNR a
 * row needs is its sensitivity above the noise of that reference receiver over a 2.16 GHz channel:
 * SNRₖ = Sₖ − (−174 + 10·log10(2.16·10⁹) + 10) dB = Sₖ + 70.66 dB.
 */
export interface McsRow {
  mcs: number;
  modulation: string;
  codeRate: string;
  /** receiver sensitivity, dBm (Table 21-3) */
  sensitivityDbm: number;
  /** PHY data rate, bit/s */
  phyRateBps: number;
}

export const DMG_SC_MCS_TABLE: readonly McsRow[] = [
  { mcs: 1, modulation: 'π/2-BPSK', codeRate: '1/2 (×2 repetition)', sensitivityDbm: -68, phyRateBps: 385e6 },
  { mcs: 2, modulation: 'π/2-BPSK', codeRate: '1/2', sensitivityDbm: -66, phyRateBps: 770e6 },
  { mcs: 3, modulation: 'π/2-BPSK', codeRate: '5/8', sensitivityDbm: -65, phyRateBps: 962.5e6 },
  { mcs: 4, modulation: 'π/2-BPSK', codeRate: '3/4', sensitivityDbm: -64, phyRateBps: 1155e6 },
  { mcs: 5, modulation: 'π/2-BPSK', codeRate: '13/16', sensitivityDbm: -62, phyRateBps: 1251.25e6 },
  { mcs: 6, modulation: 'π/2-QPSK', codeRate: '1/2', sensitivityDbm: -63, phyRateBps: 1540e6 },
  { mcs: 7, modulation: 'π/2-QPSK', codeRate: '5/8', sensitivityDbm: -62, phyRateBps: 1925e6 },
  { mcs: 8, modulation: 'π/2-QPSK', codeRate: '3/4', sensitivityDbm: -61, phyRateBps: 2310e6 },
  { mcs: 9, modulation: 'π/2-QPSK', codeRate: '13/16', sensitivityDbm: -59, phyRateBps: 2502.5e6 },
  { mcs: 10, modulation: 'π/2-16QAM', codeRate: '1/2', sensitivityDbm: -55, phyRateBps: 3080e6 },
  { mcs: 11, modulation: 'π/2-16QAM', codeRate: '5/8', sensitivityDbm: -54, phyRateBps: 3850e6 },
  { mcs: 12, modulation: 'π/2-16QAM', codeRate: '3/4', sensitivityDbm: -53, phyRateBps: 4620e6 },
];

/** The receiver the standard's sensitivities assume: 10 dB noise figure over a 2.16 GHz channel. */
export const REFERENCE_NOISE_FIGURE_DB = 10;
export const REFERENCE_BANDWIDTH_HZ = 2.16e9;
/** Thermal noise density at 290 K, rounded as the link budgets of the standard use it. */
export const THERMAL_NOISE_DBM_PER_HZ = -174;

/** Noise power over bandwidth B with noise figure F: −174 + 10·log10(B) + F, dBm. */
export const noisePowerDbm = (bandwidthHz: number, noiseFigureDb: number): number =>
  THERMAL_NOISE_DBM_PER_HZ + 10 * Math.log10(bandwidthHz) + noiseFigureDb;

/** The SNR (dB) a row needs: its sensitivity over the reference receiver's noise. */
export const mcsThresholdSnrDb = (row: McsRow): number =>
  row.sensitivityDbm - noisePowerDbm(REFERENCE_BANDWIDTH_HZ, REFERENCE_NOISE_FIGURE_DB);

/**
 * The MCS used at an SNR: the fastest row whose threshold the SNR reaches (undefined below
 * MCS 1: no link). MCS 5 needs more SNR than the faster MCS 6 in the table, so it is never chosen.
 */
export function mcsForSnr(snrDb: number): McsRow | undefined {
  let best: McsRow | undefined;
  for (const row of DMG_SC_MCS_TABLE)
    if (snrDb >= mcsThresholdSnrDb(row) && (!best || row.phyRateBps > best.phyRateBps)) best = row;
  return best;
}

export interface LinkBudget {
  txPowerDbm: number;
  noiseFigureDb: number;
  bandwidthHz: number;
  /** MAC efficiency: throughput / PHY rate (framing, preambles, acknowledgements, beacon intervals) */
  macEfficiency: number;
}

/**
 * Defaults: the channel settings' Tx power (channel/settings.ts, 0 dBm: one Tx power for every
 * command), the standard's reference 10 dB noise figure, the 2.16 GHz channel, and a MAC
 * efficiency of 0.7 — a stated assumption (paper 000 §6.8 does not give its value).
 */
export const DEFAULT_LINK_BUDGET: LinkBudget = {
  txPowerDbm: DEFAULT_CHANNEL_SETTINGS.txPowerDbm,
  noiseFigureDb: REFERENCE_NOISE_FIGURE_DB,
  bandwidthHz: REFERENCE_BANDWIDTH_HZ,
  macEfficiency: 0.7,
};

/** A problem with a link budget's numbers, or undefined. */
export function linkBudgetProblem(b: LinkBudget): string | undefined {
  if (!(Number.isFinite(b.txPowerDbm) && Math.abs(b.txPowerDbm) <= 100))
    return `Tx power must be within ±100 dBm, got ${b.txPowerDbm}`;
  if (!(Number.isFinite(b.noiseFigureDb) && b.noiseFigureDb >= 0 && b.noiseFigureDb <= 50))
    return `noise figure must be within 0–50 dB, got ${b.noiseFigureDb}`;
  if (!(Number.isFinite(b.bandwidthHz) && b.bandwidthHz >= 1e3 && b.bandwidthHz <= 1e11))
    return `bandwidth must be within 1 kHz–100 GHz, got ${b.bandwidthHz} Hz`;
  if (!(b.macEfficiency > 0 && b.macEfficiency <= 1))
    return `MAC efficiency must be within (0, 1], got ${b.macEfficiency}`;
  return undefined;
}

export interface LinkRate {
  rxPowerDbm: number;
  snrDb: number;
  /** undefined: below MCS 1, no link */
  mcs: McsRow | undefined;
  throughputBps: number;
}

/** Received power, SNR, MCS and throughput of a link of linear gain G (path, antennas and beams). */
export function linkRate(gain: number, budget: LinkBudget): LinkRate {
  const rxPowerDbm = budget.txPowerDbm + 10 * Math.log10(gain);
  const snrDb = rxPowerDbm - noisePowerDbm(budget.bandwidthHz, budget.noiseFigureDb);
  const mcs = mcsForSnr(snrDb);
  return { rxPowerDbm, snrDb, mcs, throughputBps: mcs ? mcs.phyRateBps * budget.macEfficiency : 0 };
}
