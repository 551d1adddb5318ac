import { numberProblem, parseDecimal } from '../engine/core/index.ts';

/** Minimal argument parsing for the `rftwin` commands: --flag value, --flag=value, repeated flags, booleans. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedArgs {
  positional: string[];
  /** every value given for each flag, in order ('true' for a boolean flag) */
  flags: Map<string, string[]>;
}

export function parseArgs(argv: string[], booleanFlags: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    let value: string;
    if (eq > 0) value = a.slice(eq + 1);
    else if (booleanFlags.includes(name)) value = 'true';
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && !/^--?\d/.test(next)))
        throw new UsageError(`--${name} needs a value`);
      value = next;
      i++;
    }
    const list = flags.get(name);
    if (list) list.push(value);
    else flags.set(name, [value]);
  }
  return { positional, flags };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.at(-1);
}

export function requireFlag(args: ParsedArgs, name: string): string {
  const v = flag(args, name);
  if (v === undefined) throw new UsageError(`missing --${name}`);
  return v;
}

/** Reject flags a command does not know, so typos do not silently change results. */
export function checkFlags(args: ParsedArgs, known: readonly string[]): void {
  for (const name of args.flags.keys()) {
    if (!known.includes(name))
      throw new UsageError(`unknown option --${name} (known: ${known.map((k) => `--${k}`).join(', ')})`);
  }
}

export function numberFlag(args: ParsedArgs, name: string, fallback?: number): number {
  const v = flag(args, name);
  if (v === undefined) {
    if (fallback === undefined) throw new UsageError(`missing --${name}`);
    return fallback;
  }
  const n = parseDecimal(v.trim());
  if (n === undefined) throw new UsageError(`--${name}: ${numberProblem(v)}`);
  return n;
}

/** Parse "x,y,z" into a finite 3-vector; `what` names the option in the error. */
export function parsePoint(text: string, what: string): [number, number, number] {
  const parts = text.split(',').map((s) => s.trim());
  const v = parts.map((p) => parseDecimal(p));
  if (parts.length !== 3 || v.some((x) => x === undefined)) {
    throw new UsageError(`${what} must be x,y,z in metres (three finite numbers), got '${text}'`);
  }
  return [v[0]!, v[1]!, v[2]!];
}
