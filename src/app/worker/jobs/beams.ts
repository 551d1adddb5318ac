import {
  BeamLink,
  BeamResponder,
  type BeamSet,
  buildBeamSet,
  channelAntenna,
  DEFAULT_LINK_BUDGET,
  linkRate,
  parseArraySize,
  parseCodebookSpec,
} from '../../../engine/beams/index.ts';
import { Channel, type ChannelSettings } from '../../../engine/channel/index.ts';
import type { Vec3 } from '../../../engine/core/index.ts';
import { antennaFieldVector } from '../../../engine/field/index.ts';
import type { Scene } from '../../../engine/scene/index.ts';
import type { Bvh } from '../../../engine/tracer/index.ts';
import type { JobContext } from '../jobContext.ts';
import { WithTransfer } from '../jobContext.ts';
import type { BeamLinkResponse, BeamsRequest, ChannelRequest, DeviceBeamsText } from '../protocol.ts';
import { channelFor } from './channel.ts';

/** A device's BeamSet from the studio's text settings (the CLI's parsers; no codebook files here). */
function beamSetOf(d: DeviceBeamsText, position: Vec3, end: string): BeamSet {
  const size = parseArraySize(d.size);
  if (typeof size === 'string') throw new Error(`${end} array: ${size}`);
  const codebook = parseCodebookSpec(d.codebook);
  if (typeof codebook === 'string') throw new Error(`${end} codebook: ${codebook}`);
  if (codebook.kind === 'file')
    throw new Error(
      `${end} codebook: files are read by rftwin beams; the studio builds dft, sectors, horns and steer`,
    );
  return buildBeamSet({ size, spacing: 0.5, element: d.element, codebook }, position);
}

/** Both ends' beam sets and the channel settings whose antennas are their elements. */
export function beamSetsOf(
  beams: BeamsRequest,
  tx: Vec3,
  rx: Vec3,
  settings: ChannelSettings,
): { txSet: BeamSet; rxSet: BeamSet; settings: ChannelSettings } {
  const txSet = beamSetOf(beams.tx, tx, 'Tx');
  const rxSet = beamSetOf(beams.rx, rx, 'Rx');
  return {
    txSet,
    rxSet,
    settings: { ...settings, txAntenna: channelAntenna(txSet), rxAntenna: channelAntenna(rxSet) },
  };
}

/** Gain of an array's element in world direction d (its pattern turned by its orientation). */
function elementGain(set: BeamSet & { kind: 'array' }, d: Vec3): number {
  const v = new Float64Array(6);
  antennaFieldVector(set.array.element, d, v);
  return v.reduce((s, x) => s + x * x, 0);
}

const LOBE_ROWS = 37;
const LOBE_COLS = 72;

/** Every beam pair of one link, its best pair and rate, and the best Tx beam's lobe. */
export async function beamLinkJob(
  scene: Scene,
  bvh: Bvh,
  req: ChannelRequest & { tx: Vec3; rx: Vec3; beams: BeamsRequest },
  ctx: JobContext,
): Promise<WithTransfer<BeamLinkResponse>> {
  const { channel, materials } = await channelFor(scene, bvh, req);
  const { txSet, rxSet, settings } = beamSetsOf(req.beams, req.tx, req.rx, channel.settings);
  const beamChannel = await Channel.open(channel.scene, settings, { backend: channel.choice, bvh });
  ctx.progress({ message: 'Beam pairs: tracing the link…' });
  const [link] = await beamChannel.traceLinks([{ tx: req.tx, rx: req.rx }], materials, {
    signal: ctx.signal,
  });
  const budget = { ...DEFAULT_LINK_BUDGET, txPowerDbm: settings.txPowerDbm };
  const tx = new BeamResponder(txSet);
  const beams = new BeamLink(link!.paths, tx, new BeamResponder(rxSet), {
    frequencyHz: settings.frequencyHz,
    bandwidthHz: budget.bandwidthHz,
  });
  const matrix = beams.gainMatrix();
  const best = beams.exhaustive();
  const rate = linkRate(best.gain, budget);
  // the lobe of the best Tx beam over the sphere, relative to its peak
  const lobe = new Float32Array(LOBE_ROWS * LOBE_COLS);
  let peak = 0;
  const g = new Float64Array(LOBE_ROWS * LOBE_COLS);
  for (let i = 0; i < LOBE_ROWS; i++)
    for (let j = 0; j < LOBE_COLS; j++) {
      const th = (i * Math.PI) / (LOBE_ROWS - 1);
      const ph = -Math.PI + (j * 2 * Math.PI) / LOBE_COLS;
      const d: Vec3 = [Math.sin(th) * Math.cos(ph), Math.sin(th) * Math.sin(ph), Math.cos(th)];
      // the element pattern times the array factor: the beam as radiated
      const el = txSet.kind === 'array' ? elementGain(txSet, d) : 1;
      g[i * LOBE_COLS + j] = el * tx.gain(best.tx, d);
      peak = Math.max(peak, g[i * LOBE_COLS + j]!);
    }
  for (let k = 0; k < g.length; k++) lobe[k] = 10 * Math.log10(g[k]! / peak);
  const gainDb = Float32Array.from(matrix, (x) => 10 * Math.log10(x));
  const response: BeamLinkResponse = {
    txLabels: txSet.beams.map((b) => b.label),
    rxLabels: rxSet.beams.map((b) => b.label),
    gainDb,
    best: {
      tx: best.tx,
      rx: best.rx,
      gainDb: 10 * Math.log10(best.gain),
      snrDb: rate.snrDb,
      mcs: rate.mcs?.mcs ?? null,
      throughputMbps: rate.throughputBps / 1e6,
    },
    lobe: { rows: LOBE_ROWS, cols: LOBE_COLS, gainDb: lobe, peakDbi: 10 * Math.log10(peak) },
  };
  return new WithTransfer(response, [gainDb.buffer as ArrayBuffer, lobe.buffer as ArrayBuffer]);
}
