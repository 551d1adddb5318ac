import { spawnSync } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS } from '../../engine/core/index.ts';
import { UsageError } from '../args.ts';
import { readInputText } from '../inputs.ts';
import { prepareOutput, writeOutput } from '../output.ts';
import { arrayScript, mergeScript, type SlurmJob, submitScript } from '../slurmScript.ts';

import { USAGE } from '../usage.ts';

export const usage = USAGE.slurm;

/** rftwin slurm's own options (with a value unless boolean); everything else goes to the command */
const OWN_VALUE = ['tasks', 'dir', 'partition', 'time', 'cpus-per-task', 'mem', 'account', 'jobs'];
const OWN_BOOLEAN = ['submit', 'dry-run', 'force'];
/** options of radiomap/trace that name files: made absolute, since tasks run in the job folder */
const PATH_FLAGS = new Set(['scene', 'rx-file', 'out', 'png', 'csv']);
/** what the tasks and the merge set themselves */
const RESERVED = new Set(['tiles', 'tile', 'chunk', 'threads', 'force']);
const MERGE_FLAGS = new Set(['out', 'png', 'csv', 'metric', 'range']);

/**
 * `rftwin slurm`: a job that leaves the machine, as Slurm job-array scripts in a job folder
 * (slurmScript.ts): radio-map tiles or link-list chunks, one per array task, and their merge as
 * a dependent job; or a batch of calibrations. `--dry-run` writes the scripts for a person to
 * read or adapt; `--submit` also submits them with sbatch and prints the job ids.
 */
export async function run(argv: string[]): Promise<number> {
  const [kind, ...rest] = argv;
  if (kind !== 'radiomap' && kind !== 'trace' && kind !== 'calibrate-batch')
    throw new UsageError(
      `the first argument is the job: radiomap, trace or calibrate-batch\nusage: ${usage}`,
    );
  const own = new Map<string, string>();
  const passed: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') ? (eq > 0 ? a.slice(2, eq) : a.slice(2)) : undefined;
    if (name === undefined) {
      if (passed.length === 0) positional.push(a);
      else passed.push(a);
      continue;
    }
    if (OWN_BOOLEAN.includes(name)) own.set(name, 'true');
    else if (OWN_VALUE.includes(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : rest[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      own.set(name, value);
    } else if (RESERVED.has(name))
      throw new UsageError(
        `--${name} is set by the job's scripts (tasks use --cpus-per-task threads and --force)`,
      );
    else passed.push(a);
  }
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'\nusage: ${usage}`);
  const submit = own.has('submit');
  if (submit === own.has('dry-run'))
    throw new UsageError('give --submit (write and submit) or --dry-run (only write)');
  const dirFlag = own.get('dir');
  if (!dirFlag) throw new UsageError('missing --dir JOBDIR (on a filesystem the compute nodes share)');
  const dir = resolve(dirFlag);
  const cpus = Number(own.get('cpus-per-task') ?? '1');
  if (!Number.isInteger(cpus) || cpus < 1)
    throw new UsageError(`--cpus-per-task must be a whole number ≥ 1, got '${own.get('cpus-per-task')}'`);
  const force = own.has('force');

  const { args, mergeArgs, out } =
    kind === 'calibrate-batch' ? { args: [], mergeArgs: [], out: undefined } : splitArgs(passed);
  let lines: string[] | undefined;
  let tasks: number;
  if (kind === 'calibrate-batch') {
    if (passed.length > 0)
      throw new UsageError('calibrate-batch takes its calibrations from --jobs FILE, one per line');
    const file = own.get('jobs');
    if (!file) throw new UsageError('missing --jobs FILE (one line of rftwin calibrate arguments per task)');
    const text = await readInputText(file, { limits: DEFAULT_LIMITS });
    lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    if (lines.length === 0)
      throw new UsageError(`${file}: no calibrations (one line of rftwin calibrate arguments each)`);
    tasks = lines.length;
    if (own.has('tasks') && Number(own.get('tasks')) !== tasks)
      throw new UsageError(
        `--tasks ${own.get('tasks')}, but ${file} has ${tasks} calibrations (one task each)`,
      );
  } else {
    if (!out) throw new UsageError(`missing --out (the merged ${kind === 'radiomap' ? 'map' : 'trace'})`);
    tasks = Number(own.get('tasks'));
    if (!Number.isInteger(tasks) || tasks < 1 || tasks > 100_000)
      throw new UsageError(
        `--tasks must be a whole number of array tasks from 1 to 100000, got '${own.get('tasks')}'`,
      );
    if (!args.includes('--scene'))
      throw new UsageError(`missing --scene (the ${kind} arguments follow rftwin slurm's own)`);
    if (kind === 'trace' && !args.includes('--rx-file'))
      throw new UsageError('a trace job splits the receivers of --rx-file into chunks');
  }
  const job: SlurmJob = {
    kind,
    dir,
    // a batch's lines name files as the person wrote them: relative to where rftwin slurm ran
    workdir: kind === 'calibrate-batch' ? process.cwd() : dir,
    tasks,
    resources: {
      cpusPerTask: cpus,
      partition: own.get('partition'),
      time: own.get('time'),
      mem: own.get('mem'),
      account: own.get('account'),
    },
    rftwin: `${process.execPath} ${join(repositoryRoot(), 'bin', 'rftwin.mjs')}`,
    args,
    out,
    mergeArgs,
    lines,
  };
  await mkdir(join(dir, 'logs'), { recursive: true });
  const files: [string, string][] = [[`${kind}.sbatch`, arrayScript(job)]];
  const merge = mergeScript(job);
  if (merge) files.push(['merge.sbatch', merge]);
  files.push(['submit.sh', submitScript(job)]);
  for (const [name] of files) await prepareOutput(join(dir, name), force, '--dir');
  for (const [name, text] of files) await writeOutput(join(dir, name), text, force, '--dir');
  await chmod(join(dir, 'submit.sh'), 0o755);
  process.stderr.write(`slurm: ${files.map(([f]) => join(dir, f)).join(', ')}\n`);
  if (!submit) {
    process.stderr.write(`slurm: not submitted (--dry-run); submit with: bash ${join(dir, 'submit.sh')}\n`);
    return 0;
  }
  const r = spawnSync('bash', [join(dir, 'submit.sh')], { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    throw new UsageError(
      `sbatch failed (${(r.error?.message ?? r.stderr.trim().split('\n').at(-1)) || `exit ${r.status}`}); the scripts are in ${dir}`,
    );
  const ids = /array (\S+)(?: merge (\S+))?/.exec(r.stdout);
  process.stdout.write(`${JSON.stringify({ array_job: ids?.[1], merge_job: ids?.[2], tasks, dir })}\n`);
  process.stderr.write(
    `slurm: submitted job array ${ids?.[1]} (${tasks} tasks)${ids?.[2] ? `, merge job ${ids[2]} after it → ${out}` : ''}\n`,
  );
  return 0;
}

/** The repository's root (this file is src/cli/commands/slurm.ts, or a chunk in dist-cli/build-…/). */
function repositoryRoot(): string {
  const here = fileURLToPath(import.meta.url);
  const i = here.indexOf(`${sep}dist-cli${sep}`);
  return i >= 0 ? here.slice(0, i) : resolve(dirname(here), '../../..');
}

/** The command's arguments with file paths made absolute, and what the merge takes of them. */
function splitArgs(passed: readonly string[]): { args: string[]; mergeArgs: string[]; out?: string } {
  const args: string[] = [];
  const mergeArgs: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < passed.length; i++) {
    const a = passed[i]!;
    if (!a.startsWith('--')) {
      args.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    const next = passed[i + 1];
    const hasValue = eq > 0 || (next !== undefined && (!next.startsWith('--') || /^--?\d/.test(next)));
    let value = eq > 0 ? a.slice(eq + 1) : hasValue ? passed[++i]! : undefined;
    if (value !== undefined && PATH_FLAGS.has(name) && !isAbsolute(value)) value = resolve(value);
    const words = value === undefined ? [`--${name}`] : [`--${name}`, value];
    if (name === 'out') out = value;
    else if (MERGE_FLAGS.has(name) && name !== 'metric') mergeArgs.push(...words);
    else args.push(...words);
    if (name === 'metric') mergeArgs.push(...words);
  }
  return { args, mergeArgs, out };
}
