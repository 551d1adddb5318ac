import {
  DEFAULT_LIMITS,
  decodeText,
  type InputLimits,
  LIMIT_NAMES,
  parseDecimal,
} from '../engine/core/index.ts';
import { nodeFileSource } from '../engine/node/index.ts';
import type { LoadOptions } from '../engine/scene/index.ts';
import { type ParsedArgs, UsageError } from './args.ts';

/**
 * How every `rftwin` command reads its inputs: through the engine's Node file source (regular
 * files only, within the size limit), with the limits of `--limit NAME=N` (repeatable) and
 * `--allow-outside` for scenes that reference files outside their folder.
 */
export const INPUT_VALUE_FLAGS = ['limit'] as const;
export const INPUT_BOOLEAN_FLAGS = ['allow-outside'] as const;

const BY_FLAG = new Map(Object.entries(LIMIT_NAMES).map(([key, flag]) => [flag, key as keyof InputLimits]));

/** The loaders' options from --limit and --allow-outside. */
export function inputOptions(args: ParsedArgs): LoadOptions & { limits: InputLimits } {
  const limits: InputLimits = { ...DEFAULT_LIMITS };
  for (const text of args.flags.get('limit') ?? []) {
    const m = /^([a-z-]+)=(.+)$/.exec(text.trim());
    const key = m ? BY_FLAG.get(m[1]!) : undefined;
    if (!m || !key)
      throw new UsageError(
        `--limit must be NAME=N with NAME one of ${[...BY_FLAG.keys()].join(', ')}; got '${text}'`,
      );
    const n = parseDecimal(m[2]!);
    if (n === undefined || !Number.isSafeInteger(n) || n < 1)
      throw new UsageError(`--limit ${m[1]}: '${m[2]}' is not a positive integer`);
    limits[key] = n;
  }
  return { limits, allowOutside: args.flags.get('allow-outside')?.at(-1) === 'true' };
}

/** The bytes of an input file the person named (soundings, materials, receivers …). */
export function readInput(path: string, options: { limits: InputLimits }): Promise<Uint8Array> {
  return nodeFileSource.read(path, { limits: options.limits });
}

/** An input file the person named, as text. */
export async function readInputText(path: string, options: { limits: InputLimits }): Promise<string> {
  return decodeText(await readInput(path, options), path);
}
