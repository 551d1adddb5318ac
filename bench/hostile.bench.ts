import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOSTILE_CASES, type HostileCase, MILLION_ROWS_CASE } from '../src/test/hostileCorpus.ts';
import { REPO_ROOT } from '../src/test/paths.ts';

/**
 * Issue 16's reproducers as a person runs them: each through bin/rftwin.mjs in its own process
 * (under GNU time for the peak resident memory of the CLI and its child), recording the exit
 * status, the one line it printed, the wall time and the peak RSS. The acceptance asks for
 * exit 1 (2 for usage) within 10 s and 1 GB, and 2 GB for calibrate with 10⁶ rows.
 */
const TIME = '/usr/bin/time';

function measure(c: HostileCase, argv: string[], cwd: string) {
  const cli = [process.execPath, join(REPO_ROOT, 'bin', 'rftwin.mjs'), ...argv];
  const withTime = existsSync(TIME);
  const started = performance.now();
  const r = spawnSync(withTime ? TIME : cli[0]!, withTime ? ['-v', ...cli] : cli.slice(1), {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
    timeout: 600_000,
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  // GNU time appends its report to stderr; the CLI's own lines come before it
  const own = r.stderr.split(/\n\s*Command (?:being timed|exited)/)[0]!.trim();
  const text = c.status === 0 ? r.stdout : own;
  const line = c.status === 0 ? (text.match(c.message)?.[0] ?? '') : (own.split('\n').at(-1) ?? '');
  return {
    id: c.id,
    example: c.example,
    command: `rftwin ${argv.join(' ')}`.split(`${REPO_ROOT}/`).join(''),
    status: r.status,
    expectedStatus: c.status,
    ok: r.status === c.status && c.message.test(c.status === 0 ? r.stdout : line),
    line: line.split('\n').join(' | '),
    wallSeconds: Number(wallSeconds.toFixed(2)),
    peakRssMiB: rss ? Number((Number(rss[1]) / 1024).toFixed(0)) : null,
  };
}

export default async function (log: (line: string) => void) {
  const results = [];
  for (const c of [...HOSTILE_CASES, MILLION_ROWS_CASE]) {
    const dir = mkdtempSync(join(tmpdir(), 'rftwin-hostile-bench-'));
    try {
      const argv = await c.setup(dir);
      const r = measure(c, argv, dir);
      log(
        `${r.ok ? 'ok ' : 'BAD'} ${c.id}: exit ${r.status}, ${r.wallSeconds} s, ${r.peakRssMiB} MiB: ${r.line}`,
      );
      results.push(r);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const slowest = results.reduce((a, b) => (b.wallSeconds > a.wallSeconds ? b : a));
  const largest = results.reduce((a, b) => ((b.peakRssMiB ?? 0) > (a.peakRssMiB ?? 0) ? b : a));
  return {
    cases: results.length,
    allAsExpected: results.every((r) => r.ok),
    slowest: { id: slowest.id, wallSeconds: slowest.wallSeconds },
    largestRss: { id: largest.id, peakRssMiB: largest.peakRssMiB },
    results,
  };
}
