import { describe, expect, it } from 'vitest';
import { DMG_SC_MCS_TABLE, linkRate, mcsForSnr, noisePowerDbm } from './mcs.ts';

/**
 * IEEE Std 802.11ad-2012 Table 21-3 (DMG receiver sensitivity, SC MCS 1–12; 10 dB noise figure,
 * 5 dB implementation loss, PER < 1 % at 4096 octets) and the SC PHY rates of §21.6, typed in
 * again here from the standard: [MCS, sensitivity dBm, PHY rate Mb/s].
 */
const TABLE_21_3: [number, number, number][] = [
  [1, -68, 385],
  [2, -66, 770],
  [3, -65, 962.5],
  [4, -64, 1155],
  [5, -62, 1251.25],
  [6, -63, 1540],
  [7, -62, 1925],
  [8, -61, 2310],
  [9, -59, 2502.5],
  [10, -55, 3080],
  [11, -54, 3850],
  [12, -53, 4620],
];

/** The fastest rate (Mb/s) the table allows at a received power with the reference receiver. */
const fastestAt = (dbm: number) => Math.max(0, ...TABLE_21_3.filter((r) => r[1] <= dbm).map((r) => r[2]));

describe('802.11ad SC MCS mapping (issue 15, acceptance 3: IEEE Std 802.11ad-2012 Table 21-3)', () => {
  it('holds the rows of Table 21-3', () => {
    expect(DMG_SC_MCS_TABLE.map((r) => [r.mcs, r.sensitivityDbm, r.phyRateBps / 1e6])).toEqual(TABLE_21_3);
  });

  it('noise over 2.16 GHz with a 10 dB noise figure is −70.65 dBm', () => {
    expect(noisePowerDbm(2.16e9, 10)).toBeCloseTo(-174 + 10 * Math.log10(2.16e9) + 10, 12);
    expect(noisePowerDbm(2.16e9, 10)).toBeCloseTo(-70.6555, 3);
  });

  it('every row at its threshold SNR: the reference receiver at the row sensitivity reaches it, 0.01 dB less does not', () => {
    // reference receiver (10 dB NF, 2.16 GHz), 0 dBm Tx: a link gain of S dB puts S dBm at the receiver
    const budget = { txPowerDbm: 0, noiseFigureDb: 10, bandwidthHz: 2.16e9, macEfficiency: 1 };
    for (const [mcs, s, rate] of TABLE_21_3) {
      const at = linkRate(10 ** (s / 10), budget);
      expect(at.rxPowerDbm).toBeCloseTo(s, 9);
      expect(at.snrDb).toBeCloseTo(s + 70.6555, 3);
      expect(at.throughputBps / 1e6).toBe(fastestAt(s));
      expect(at.throughputBps / 1e6).toBeGreaterThanOrEqual(rate);
      // the row itself is used unless a faster row needs no more power (MCS 5: MCS 7 at −62 dBm)
      expect(at.mcs!.mcs).toBe(mcs === 5 ? 7 : mcs);
      const below = linkRate(10 ** ((s - 0.01) / 10), budget);
      expect(below.throughputBps / 1e6).toBe(fastestAt(s - 0.01));
      expect(below.mcs?.mcs).not.toBe(mcs);
    }
    expect(mcsForSnr(-68 + 70.6555 - 0.01)).toBeUndefined();
  });

  it('throughput is the PHY rate times the MAC efficiency; a worse noise figure lowers the SNR one for one', () => {
    const base = { txPowerDbm: 10, noiseFigureDb: 10, bandwidthHz: 2.16e9, macEfficiency: 0.7 };
    const r = linkRate(10 ** (-70 / 10), base);
    expect(r.rxPowerDbm).toBeCloseTo(-60, 12);
    expect(r.mcs!.mcs).toBe(8);
    expect(r.throughputBps).toBeCloseTo(2310e6 * 0.7, 3);
    expect(linkRate(10 ** (-70 / 10), { ...base, noiseFigureDb: 13 }).snrDb).toBeCloseTo(r.snrDb - 3, 12);
  });
});
