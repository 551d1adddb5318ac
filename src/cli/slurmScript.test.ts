import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { shellQuote } from './slurmScript.ts';

/**
 * `rftwin slurm --dry-run` without a cluster: the scripts it writes are valid bash, carry the
 * array size, resources, absolute paths and the merge's dependency, and quote arguments so that
 * bash reads them back unchanged. (Submitting to a real Slurm: slurm.test.ts.)
 */
const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'rftwin-slurm-dry-'));

describe('rftwin slurm --dry-run', () => {
  it('quotes words so that bash reads them back unchanged', () => {
    const words = ['plain', 'two words', "it's", '$HOME', 'a"b', '*.json', '-1,2,3'];
    const r = spawnSync('bash', ['-c', `printf '%s\\n' ${words.map(shellQuote).join(' ')}`], {
      encoding: 'utf8',
    });
    expect(r.stdout.split('\n').slice(0, -1)).toEqual(words);
  });

  it('writes a radio-map job array, its dependent merge and submit.sh, all valid bash', async () => {
    const job = join(dir, 'map');
    const r = await exec('node', [
      'bin/rftwin.mjs',
      'slurm',
      'radiomap',
      '--tasks',
      '6',
      '--dir',
      job,
      '--cpus-per-task',
      '4',
      '--mem',
      '8G',
      '--time',
      '02:00:00',
      '--partition',
      'compute',
      '--dry-run',
      '--scene',
      'public/demo/room.xml',
      '--frequency',
      '28e9',
      '--tx',
      '0,0,2.5',
      '--plane',
      'z=1.5',
      '--cell',
      '0.1',
      '--out',
      'map.json',
      '--png',
      'map.png',
    ]);
    expect(r.stderr).toContain('not submitted (--dry-run)');
    const array = readFileSync(join(job, 'radiomap.sbatch'), 'utf8');
    for (const line of [
      '#SBATCH --array=0-5',
      '#SBATCH --cpus-per-task=4',
      '#SBATCH --mem=8G',
      '#SBATCH --time=02:00:00',
      '#SBATCH --partition=compute',
      `#SBATCH --chdir=${job}`,
    ])
      expect(array).toContain(line);
    expect(array).toContain(`--scene ${join(process.cwd(), 'public/demo/room.xml')}`);
    expect(array).toContain(
      '--tiles 6 --tile "$SLURM_ARRAY_TASK_ID" --out tiles/tile-"$SLURM_ARRAY_TASK_ID".json',
    );
    expect(array).not.toContain('--png');
    const merge = readFileSync(join(job, 'merge.sbatch'), 'utf8');
    expect(merge).toContain(
      `merge tiles/tile-*.json --out ${join(process.cwd(), 'map.json')} --png ${join(process.cwd(), 'map.png')}`,
    );
    expect(readFileSync(join(job, 'submit.sh'), 'utf8')).toContain('--dependency=afterok:"$array"');
    for (const f of ['radiomap.sbatch', 'merge.sbatch', 'submit.sh'])
      expect(spawnSync('bash', ['-n', join(job, f)]).status, f).toBe(0);
  });

  it('a calibration batch is one task per line; bad jobs are refused before writing', async () => {
    const jobs = join(dir, 'jobs.txt');
    writeFileSync(
      jobs,
      '# calibrations\n--scene a.xml --frequency 28e9 --soundings s.csv --out a.json\n\n--scene b.xml --frequency 28e9 --soundings t.csv --out b.json\n',
    );
    const job = join(dir, 'cal');
    await exec('node', [
      'bin/rftwin.mjs',
      'slurm',
      'calibrate-batch',
      '--dir',
      job,
      '--jobs',
      jobs,
      '--dry-run',
    ]);
    const array = readFileSync(join(job, 'calibrate-batch.sbatch'), 'utf8');
    expect(array).toContain('#SBATCH --array=0-1');
    expect(array).toContain(
      '  1) $RFTWIN calibrate --scene b.xml --frequency 28e9 --soundings t.csv --out b.json ;;',
    );
    expect(spawnSync('bash', ['-n', join(job, 'calibrate-batch.sbatch')]).status).toBe(0);
    const fail = (args: string[]) =>
      exec('node', ['bin/rftwin.mjs', 'slurm', ...args]).then(
        () => '',
        (e: { code: number; stderr: string }) => `${e.code} ${e.stderr.trim()}`,
      );
    expect(
      await fail(['radiomap', '--tasks', '2', '--dir', join(dir, 'x'), '--dry-run', '--out', 'm.json']),
    ).toMatch(/^2 .*missing --scene/);
    expect(
      await fail(['radiomap', '--tasks', '2', '--dir', join(dir, 'x'), '--out', 'm.json', '--scene', 's']),
    ).toMatch(/--submit .* or --dry-run/);
    expect(
      await fail(['radiomap', '--tasks', '2', '--dir', join(dir, 'x'), '--dry-run', '--tiles', '3']),
    ).toMatch(/--tiles is set by the job's scripts/);
  });
});
