/**
 * The files `rftwin slurm` writes into a job folder: an sbatch job-array script (one task per
 * tile or chunk or calibration), for maps and link lists a merge script that runs after every
 * task succeeded (afterok), and submit.sh, which submits both with sbatch. Plain text a person
 * can read and adapt; every path in them is absolute, so the folder and the inputs must be on a
 * filesystem the compute nodes share. Slurm itself schedules; nothing here is a scheduler.
 */

export interface SlurmResources {
  partition?: string;
  time?: string;
  cpusPerTask: number;
  mem?: string;
  account?: string;
}

export interface SlurmJob {
  kind: 'radiomap' | 'trace' | 'calibrate-batch';
  /** the job folder (absolute): scripts, logs, parts */
  dir: string;
  /** where the tasks run (--chdir; absolute) */
  workdir: string;
  tasks: number;
  resources: SlurmResources;
  /** how a node runs rftwin, e.g. `/usr/bin/node /shared/rftwin/bin/rftwin.mjs` */
  rftwin: string;
  /** radiomap/trace: the command's own arguments, paths absolute (without --out, --png, --csv) */
  args: string[];
  /** radiomap/trace: the merged output (absolute) and, for maps, --png/--csv/--metric/--range */
  out?: string;
  mergeArgs?: string[];
  /** calibrate-batch: per task, the arguments of one `rftwin calibrate` (shell text, as given) */
  lines?: string[];
}

/** One shell word, quoted so that bash reads it back unchanged. */
export const shellQuote = (s: string): string =>
  /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;

const PART = { radiomap: 'tile', trace: 'chunk', 'calibrate-batch': 'calibration' } as const;

function header(job: SlurmJob, name: string, what: string, array: boolean): string[] {
  const r = job.resources;
  const part = array ? `${PART[job.kind]}-%a` : 'merge';
  return [
    '#!/bin/bash',
    ...what.split('\n').map((l) => `# ${l}`),
    `#SBATCH --job-name=${name}`,
    ...(array ? [`#SBATCH --array=0-${job.tasks - 1}`] : []),
    `#SBATCH --chdir=${job.workdir}`,
    `#SBATCH --output=${job.dir}/logs/${part}.out`,
    `#SBATCH --error=${job.dir}/logs/${part}.err`,
    '#SBATCH --ntasks=1',
    `#SBATCH --cpus-per-task=${array ? r.cpusPerTask : 1}`,
    ...(r.mem ? [`#SBATCH --mem=${r.mem}`] : []),
    ...(r.time ? [`#SBATCH --time=${r.time}`] : []),
    ...(r.partition ? [`#SBATCH --partition=${r.partition}`] : []),
    ...(r.account ? [`#SBATCH --account=${r.account}`] : []),
    'set -euo pipefail',
    '# how a node runs rftwin (the same checkout on the shared filesystem); override with RFTWIN=…',
    `RFTWIN=\${RFTWIN:-${shellQuote(job.rftwin)}}`,
  ];
}

/** The array script: task $SLURM_ARRAY_TASK_ID computes its part into the job folder. */
export function arrayScript(job: SlurmJob): string {
  const n = job.tasks;
  const i = '"$SLURM_ARRAY_TASK_ID"';
  const threads = `--threads "\${SLURM_CPUS_PER_TASK:-1}"`;
  const q = job.args.map(shellQuote).join(' ');
  let what: string;
  let body: string[];
  if (job.kind === 'radiomap') {
    what = `rftwin radio map as a Slurm job array: task i computes tile i of ${n} (whole grid rows)\ninto tiles/tile-i.json; merge.sbatch assembles them after all succeeded.\nA failed tile (its log: logs/tile-i.err) is re-run alone with: sbatch --array=i radiomap.sbatch`;
    body = [`$RFTWIN radiomap ${q} ${threads} --tiles ${n} --tile ${i} --out tiles/tile-${i}.json --force`];
  } else if (job.kind === 'trace') {
    what = `rftwin link list as a Slurm job array: task i traces chunk i of ${n} of the receivers\ninto chunks/chunk-i.json; merge.sbatch joins them after all succeeded.\nA failed chunk (its log: logs/chunk-i.err) is re-run alone with: sbatch --array=i trace.sbatch`;
    body = [`$RFTWIN trace ${q} ${threads} --chunk ${i}/${n} --out chunks/chunk-${i}.json --force`];
  } else {
    what = `rftwin calibrations as a Slurm job array: task i runs line i+1 of the batch file\n(each its own rftwin calibrate with its own --out; relative paths from ${job.workdir}).\nA failed calibration (its log: logs/calibration-i.err) is re-run alone with: sbatch --array=i calibrate-batch.sbatch`;
    body = [
      `case ${i} in`,
      ...job.lines!.map((line, k) => `  ${k}) $RFTWIN calibrate ${line} ;;`),
      `  *) echo "no calibration $SLURM_ARRAY_TASK_ID in this batch" >&2; exit 2 ;;`,
      'esac',
    ];
  }
  return `${[...header(job, `rftwin-${job.kind}`, what, true), ...body].join('\n')}\n`;
}

/** The merge script (maps and link lists): every part, or a one-line refusal and no output. */
export function mergeScript(job: SlurmJob): string | undefined {
  if (job.kind === 'calibrate-batch') return undefined;
  const parts = job.kind === 'radiomap' ? 'tiles/tile-*.json' : 'chunks/chunk-*.json';
  const what = `rftwin merge of the ${job.tasks} ${PART[job.kind]}s of ${job.kind}.sbatch (submitted with --dependency=afterok on it):\nrefuses missing, repeated or foreign parts, writes ${job.out} whole or not at all.`;
  const extra = (job.mergeArgs ?? []).map(shellQuote).join(' ');
  return `${[
    ...header(job, `rftwin-${job.kind}-merge`, what, false),
    `$RFTWIN merge ${parts} --out ${shellQuote(job.out!)}${extra ? ` ${extra}` : ''} --force`,
  ].join('\n')}\n`;
}

/** submit.sh: the array, then the merge after it (afterok: only when every task succeeded). */
export function submitScript(job: SlurmJob): string {
  const lines = [
    '#!/bin/bash',
    `# Submits ${job.kind}.sbatch (${job.tasks} tasks)${job.kind === 'calibrate-batch' ? '' : ' and merge.sbatch after it'}; prints the job ids.`,
    'set -euo pipefail',
    `cd ${shellQuote(job.dir)}`,
    `mkdir -p logs${job.kind === 'radiomap' ? ' tiles' : job.kind === 'trace' ? ' chunks' : ''}`,
    `array=$(sbatch --parsable ${job.kind}.sbatch)`,
    `array=\${array%%;*}`,
  ];
  if (job.kind === 'calibrate-batch') lines.push('echo "array $array"');
  else
    lines.push(
      'merge=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes merge.sbatch)',
      `echo "array \${array} merge \${merge%%;*}"`,
    );
  return `${lines.join('\n')}\n`;
}
