import type { Channel, ChannelControl } from '../channel/channel.ts';
import { cellCount } from '../radiomap/grid.ts';
import {
  computeRadioMap,
  type RadioMap,
  type RadioMapOptions,
  type RadioMapProgress,
} from '../radiomap/radioMap.ts';
import type { BeamSelector } from './beamLinks.ts';
import { describeBeams } from './spec.ts';

/**
 * A beam radio map (docs/physics.md §16): the radio map of radiomap/radioMap.ts — every cell the
 * link traced at its centre — plus, per cell, the best beam pair of the selector's codebooks, its
 * SNR, MCS and throughput, from the same paths. The channel's antennas must be the beam sets'
 * elements (codebook.ts `channelAntenna`).
 */
export async function computeBeamMap(
  channel: Channel,
  options: Omit<RadioMapOptions, 'onCellPaths'>,
  selector: BeamSelector,
  control: ChannelControl & { onMapProgress?: (p: RadioMapProgress) => void } = {},
): Promise<RadioMap> {
  const n = cellCount(options.grid);
  const layer = {
    description: `Tx ${describeBeams(selector.tx.set)}; Rx ${describeBeams(selector.rx.set)}; ${selector.options.search} search`,
    txBeam: new Int16Array(n).fill(-1),
    rxBeam: new Int16Array(n).fill(-1),
    gainDb: new Float32Array(n).fill(Number.NaN),
    snrDb: new Float32Array(n).fill(Number.NaN),
    mcs: new Uint8Array(n),
    throughputMbps: new Float32Array(n),
  };
  const map = await computeRadioMap(
    channel,
    {
      ...options,
      onCellPaths: (first, paths) => {
        paths.forEach((p, k) => {
          if (p.length === 0) return;
          const r = selector.select(p);
          const i = first + k;
          layer.txBeam[i] = r.best.tx;
          layer.rxBeam[i] = r.best.rx;
          layer.gainDb[i] = 10 * Math.log10(r.best.gain);
          layer.snrDb[i] = r.rate.snrDb;
          layer.mcs[i] = r.rate.mcs?.mcs ?? 0;
          layer.throughputMbps[i] = r.rate.throughputBps / 1e6;
        });
      },
    },
    control,
  );
  map.beams = layer;
  return map;
}
