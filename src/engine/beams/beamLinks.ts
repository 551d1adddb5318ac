import type { LinkResult } from '../channel/channel.ts';
import type { Path } from '../tracer/path.ts';
import { BeamLink, type BeamPair } from './beamChannel.ts';
import { BeamResponder, type BeamSet } from './codebook.ts';
import { type LinkBudget, type LinkRate, linkRate, noisePowerDbm } from './mcs.ts';
import { describeBeams } from './spec.ts';

/**
 * Best beam pair, SNR, MCS and throughput of traced links (docs/physics.md §16): what
 * `rftwin beams`, beam radio maps, the studio and the case study compute, one way.
 */
export type BeamSearch = 'exhaustive' | 'hierarchical';
export const BEAM_SEARCHES: readonly BeamSearch[] = ['exhaustive', 'hierarchical'];

export interface BeamLinkResult {
  pathCount: number;
  best: BeamPair;
  rate: LinkRate;
  /** every pair's linear gain [t·Nr + r], when asked for */
  matrix?: Float64Array;
}

export interface BeamLinksOptions {
  frequencyHz: number;
  budget: LinkBudget;
  search: BeamSearch;
  matrix?: boolean;
}

/** Prepared responders for both ends, reused over many links. */
export class BeamSelector {
  readonly tx: BeamResponder;
  readonly rx: BeamResponder;
  constructor(
    txSet: BeamSet,
    rxSet: BeamSet,
    readonly options: BeamLinksOptions,
  ) {
    this.tx = new BeamResponder(txSet);
    this.rx = new BeamResponder(rxSet);
  }

  /** The beam result of one link's paths (no path: gain 0, no link). */
  select(paths: readonly Path[]): BeamLinkResult {
    const o = this.options;
    const link = new BeamLink(paths, this.tx, this.rx, {
      frequencyHz: o.frequencyHz,
      bandwidthHz: o.budget.bandwidthHz,
    });
    const best = o.search === 'exhaustive' ? link.exhaustive() : link.hierarchical();
    return {
      pathCount: link.pathCount,
      best,
      rate: linkRate(best.gain, o.budget),
      matrix: o.matrix ? link.gainMatrix() : undefined,
    };
  }
}

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
const db = (g: number) => num(10 * Math.log10(g));

function beamsJson(set: BeamSet) {
  return {
    description: describeBeams(set),
    kind: set.kind,
    codebook: set.codebook,
    array:
      set.kind === 'array'
        ? {
            ny: set.array.ny,
            nz: set.array.nz,
            spacing_wavelengths: set.array.spacing,
            element: set.array.element,
          }
        : undefined,
    horns:
      set.kind === 'horns' ? { count: set.horns.count, beamwidth_deg: set.horns.beamwidthDeg } : undefined,
    beams: set.beams.map((b) => ({
      label: b.label,
      azimuth_deg: b.direction ? (Math.atan2(b.direction[1], b.direction[0]) * 180) / Math.PI : null,
      elevation_deg: b.direction
        ? (Math.asin(Math.max(-1, Math.min(1, b.direction[2]))) * 180) / Math.PI
        : null,
    })),
  };
}

/** The JSON `rftwin beams --out` writes. */
export function beamResultsToJson(
  links: readonly LinkResult[],
  results: readonly BeamLinkResult[],
  txSet: BeamSet,
  rxSet: BeamSet,
  options: BeamLinksOptions,
) {
  const b = options.budget;
  return {
    frequency_hz: options.frequencyHz,
    search: options.search,
    link_budget: {
      tx_power_dbm: b.txPowerDbm,
      noise_figure_db: b.noiseFigureDb,
      bandwidth_hz: b.bandwidthHz,
      noise_power_dbm: noisePowerDbm(b.bandwidthHz, b.noiseFigureDb),
      mac_efficiency: b.macEfficiency,
      mcs_table: 'IEEE Std 802.11ad-2012 Table 21-3 (DMG SC MCS 1-12), docs/physics.md §16',
      wideband_gain:
        'same 1/B tap: fields with carrier phase; taps and diffuse samples: powers (docs/physics.md §16)',
    },
    tx_beams: beamsJson(txSet),
    rx_beams: beamsJson(rxSet),
    links: links.map((l, i) => {
      const r = results[i]!;
      const linked = r.pathCount > 0;
      return {
        tx: l.tx,
        rx: l.rx,
        path_count: r.pathCount,
        best_tx_beam: linked ? r.best.tx : null,
        best_rx_beam: linked ? r.best.rx : null,
        best_tx_label: linked ? txSet.beams[r.best.tx]!.label : null,
        best_rx_label: linked ? rxSet.beams[r.best.rx]!.label : null,
        gain_db: db(r.best.gain),
        rx_power_dbm: num(r.rate.rxPowerDbm),
        snr_db: num(r.rate.snrDb),
        mcs: r.rate.mcs?.mcs ?? null,
        phy_rate_mbps: (r.rate.mcs?.phyRateBps ?? 0) / 1e6,
        throughput_mbps: r.rate.throughputBps / 1e6,
        evaluations: r.best.evaluations,
        near_field: l.nearField.nearField,
        gain_matrix_db: r.matrix
          ? Array.from({ length: txSet.beams.length }, (_, t) =>
              Array.from(r.matrix!.subarray(t * rxSet.beams.length, (t + 1) * rxSet.beams.length), db),
            )
          : undefined,
      };
    }),
  };
}
