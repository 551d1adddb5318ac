import {
  BEAM_SEARCHES,
  type BeamLinkResult,
  type BeamSearch,
  BeamSelector,
  type BeamSet,
  beamResultsToJson,
  buildBeamSet,
  channelAntenna,
  DEFAULT_LINK_BUDGET,
  type DeviceBeams,
  describeBeams,
  exhaustiveGpu,
  type LinkBudget,
  linkBudgetProblem,
  linkRate,
  parseArraySize,
  parseCodebookSpec,
} from '../../engine/beams/index.ts';
import { withMaterialValues } from '../../engine/calibrate/index.ts';
import { Channel, type ChannelSettings } from '../../engine/channel/index.ts';
import type { Vec3 } from '../../engine/core/index.ts';
import { acquireGpu, releaseGpu } from '../../engine/gpu/index.ts';
import {
  checkFlags,
  flag,
  numberFlag,
  type ParsedArgs,
  parseArgs,
  parsePoint,
  requireFlag,
  UsageError,
} from '../args.ts';
import {
  backendFromArgs,
  CHANNEL_BOOLEAN_FLAGS,
  CHANNEL_VALUE_FLAGS,
  channelSettingsFromArgs,
  cliControl,
  withSigint,
} from '../channelFlags.ts';
import { INPUT_BOOLEAN_FLAGS, INPUT_VALUE_FLAGS, inputOptions, readInputText } from '../inputs.ts';
import { prepareOutput, writeOutput } from '../output.ts';
import { frequencyFlag, loadSceneAt, readLinks, readMaterialsFile } from './calibrate.ts';

/** The array/codebook/link-budget flags, shared with `rftwin radiomap --metric best-beam|snr|mcs|throughput`. */
export const BEAM_VALUE_FLAGS = [
  'tx-array',
  'rx-array',
  'spacing',
  'codebook',
  'tx-codebook',
  'rx-codebook',
  'tx-orientation',
  'rx-orientation',
  'noise-figure-db',
  'bandwidth-hz',
  'mac-efficiency',
  'search',
];

import { USAGE } from '../usage.ts';

export { BEAM_USAGE } from '../usage.ts';

export const usage = USAGE.beams;

const BOOLEAN = [...CHANNEL_BOOLEAN_FLAGS, 'extrapolate', 'force', 'matrix', ...INPUT_BOOLEAN_FLAGS];
const KNOWN = [
  'scene',
  'frequency',
  'tx',
  'rx-file',
  'materials',
  'out',
  ...BEAM_VALUE_FLAGS,
  ...CHANNEL_VALUE_FLAGS,
  ...INPUT_VALUE_FLAGS,
  ...BOOLEAN,
];

function orientationFlag(args: ParsedArgs, name: string): [number, number, number] | undefined {
  const text = flag(args, name);
  if (text === undefined) return undefined;
  const v = text.split(',').map((s) => Number(s.trim()));
  if (v.length !== 3 || v.some((x) => !Number.isFinite(x)))
    throw new UsageError(`--${name} must be yaw,pitch,roll in degrees (three numbers), got '${text}'`);
  return v.map((x) => (x * Math.PI) / 180) as [number, number, number];
}

/** One end's beams from the flags (tx or rx). */
async function deviceBeams(
  args: ParsedArgs,
  end: 'tx' | 'rx',
  settings: ChannelSettings,
  position: Vec3,
  inputs: ReturnType<typeof inputOptions>,
): Promise<BeamSet> {
  const sizeText = flag(args, `${end}-array`) ?? '1';
  const size = parseArraySize(sizeText);
  if (typeof size === 'string') throw new UsageError(`--${end}-array: ${size}`);
  const codeText = flag(args, `${end}-codebook`) ?? requireFlag(args, 'codebook');
  const codebook = parseCodebookSpec(codeText);
  if (typeof codebook === 'string')
    throw new UsageError(`--${end === 'tx' ? 'tx-' : 'rx-'}codebook: ${codebook}`);
  const element = { ...(end === 'tx' ? settings.txAntenna : settings.rxAntenna) };
  const orientation = orientationFlag(args, `${end}-orientation`);
  if (orientation) element.orientation = orientation;
  const d: DeviceBeams = { size, spacing: numberFlag(args, 'spacing', 0.5), element, codebook };
  const fileText = codebook.kind === 'file' ? await readInputText(codebook.path, inputs) : undefined;
  try {
    return buildBeamSet(d, position, fileText);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(`--${end}-array/--codebook: ${e.message}`);
    throw e;
  }
}

/** The link budget from the flags (Tx power: the channel's --tx-power-dbm). */
export function linkBudgetFromArgs(args: ParsedArgs, settings: ChannelSettings): LinkBudget {
  const budget: LinkBudget = {
    txPowerDbm: settings.txPowerDbm,
    noiseFigureDb: numberFlag(args, 'noise-figure-db', DEFAULT_LINK_BUDGET.noiseFigureDb),
    bandwidthHz: numberFlag(args, 'bandwidth-hz', DEFAULT_LINK_BUDGET.bandwidthHz),
    macEfficiency: numberFlag(args, 'mac-efficiency', DEFAULT_LINK_BUDGET.macEfficiency),
  };
  const problem = linkBudgetProblem(budget);
  if (problem) throw new UsageError(problem);
  return budget;
}

export function searchFromArgs(args: ParsedArgs): BeamSearch {
  const s = flag(args, 'search') ?? 'exhaustive';
  if (!(BEAM_SEARCHES as readonly string[]).includes(s))
    throw new UsageError(`--search must be one of ${BEAM_SEARCHES.join(', ')}, got '${s}'`);
  return s as BeamSearch;
}

/** Both ends' beam sets and the channel settings whose antennas are their elements. */
export async function beamSetup(
  args: ParsedArgs,
  frequencyHz: number,
  tx: Vec3,
  rxPosition: Vec3,
  inputs: ReturnType<typeof inputOptions>,
): Promise<{ settings: ChannelSettings; txSet: BeamSet; rxSet: BeamSet }> {
  const base = channelSettingsFromArgs(args, frequencyHz);
  const txSet = await deviceBeams(args, 'tx', base, tx, inputs);
  const rxSet = await deviceBeams(args, 'rx', base, rxPosition, inputs);
  return {
    settings: { ...base, txAntenna: channelAntenna(txSet), rxAntenna: channelAntenna(rxSet) },
    txSet,
    rxSet,
  };
}

/**
 * `rftwin beams`: per Tx–Rx link the best beam pair of the two codebooks, its gain, SNR, 802.11ad
 * MCS and throughput (docs/physics.md §16), from the paths of the channel pipeline; with
 * --matrix every pair's gain.
 */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, BOOLEAN);
  checkFlags(args, KNOWN);
  const frequencyHz = frequencyFlag(args);
  const out = requireFlag(args, 'out');
  const force = flag(args, 'force') === 'true';
  await prepareOutput(out, force);
  const inputs = inputOptions(args);
  const rxPath = requireFlag(args, 'rx-file');
  const txs = (args.flags.get('tx') ?? []).map((t) => parsePoint(t, '--tx'));
  if (txs.length === 0) throw new UsageError(`missing --tx\nusage: ${usage}`);
  const search = searchFromArgs(args);
  const { scene, materials } = await loadSceneAt(
    requireFlag(args, 'scene'),
    frequencyHz,
    flag(args, 'extrapolate') === 'true',
    inputs,
  );
  const materialsPath = flag(args, 'materials');
  const used = materialsPath
    ? withMaterialValues(materials, await readMaterialsFile(materialsPath, inputs), materialsPath)
    : materials;
  const links = await readLinks(args, rxPath, inputs);
  const { settings, txSet, rxSet } = await beamSetup(args, frequencyHz, txs[0]!, links[0]!.rx, inputs);
  if (txs.length > 1 && (txSet.codebook.startsWith('steer') || rxSet.codebook.startsWith('steer')))
    throw new UsageError('a steer:x,y,z codebook is built for one Tx position: give one --tx');
  const budget = linkBudgetFromArgs(args, settings);
  const matrix = flag(args, 'matrix') === 'true';
  if (matrix && links.length * txSet.beams.length * rxSet.beams.length > 50_000_000)
    throw new UsageError(
      `--matrix would write ${links.length} × ${txSet.beams.length} × ${rxSet.beams.length} gains; ask for fewer links or beams`,
    );
  process.stderr.write(`beams: Tx ${describeBeams(txSet)}; Rx ${describeBeams(rxSet)}; ${search} search\n`);
  return withSigint(async (signal) => {
    try {
      const channel = await Channel.open(scene, settings, {
        backend: backendFromArgs(args),
        jobs: ['links'],
      });
      const traced = await channel.traceLinks(links, used, cliControl('beams', settings, signal));
      // the exhaustive search runs where the links were traced: on WebGPU, the WGSL port
      // (beams/gpu/beamSearchGpu.ts; a gain matrix is written by the CPU's BeamLink)
      const onGpu =
        search === 'exhaustive' &&
        !matrix &&
        channel.backendFor({ kind: 'links', links: links.length }).decision.kind === 'webgpu';
      const t0 = performance.now();
      let results: BeamLinkResult[];
      if (onGpu) {
        const found = await exhaustiveGpu(
          await acquireGpu(),
          traced.map((l) => l.paths),
          txSet,
          rxSet,
          { frequencyHz, bandwidthHz: budget.bandwidthHz },
        );
        results = found.best.map((best, i) => ({
          pathCount: traced[i]!.paths.length,
          best,
          rate: linkRate(best.gain, budget),
        }));
      } else {
        const selector = new BeamSelector(txSet, rxSet, { frequencyHz, budget, search, matrix });
        results = traced.map((l) => {
          signal.throwIfAborted();
          return selector.select(l.paths);
        });
      }
      const ms = performance.now() - t0;
      const json = beamResultsToJson(traced, results, txSet, rxSet, { frequencyHz, budget, search, matrix });
      await writeOutput(out, `${JSON.stringify(json)}\n`, force);
      const linked = results.filter((r) => r.rate.mcs).length;
      process.stderr.write(
        `beams: ${links.length} links, ${linked} with an MCS; beam search${onGpu ? ' on WebGPU' : ''} ${(ms / Math.max(1, links.length)).toFixed(2)} ms/link → ${out}\n`,
      );
      return 0;
    } finally {
      await releaseGpu();
    }
  });
}
