import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/cli.ts';
import { REPO_ROOT } from '../test/paths.ts';

/** Issue 17: the CLI starts fast — help per command, and `auto` does not start an adapter it will not use. */
const dir = mkdtempSync(join(tmpdir(), 'rftwin-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRACE = [
  'trace',
  '--scene',
  join(REPO_ROOT, 'public/demo/room.xml'),
  '--frequency',
  '28e9',
  '--tx',
  '0,0,2.5',
  '--rx',
  '2,1,1.5',
  '--max-depth',
  '1',
];

describe('rftwin start-up', () => {
  it('`rftwin <command> --help` and `-h` print that command’s usage and exit 0', () => {
    for (const command of ['trace', 'radiomap', 'calibrate', 'info']) {
      for (const h of ['--help', '-h']) {
        const r = runCli([command, h]);
        expect(r.status, `${command} ${h}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^usage: rftwin ${command} `));
      }
    }
  });

  it('auto traces the same paths whether the adapter is started or remembered, and says which', () => {
    const env = { RFTWIN_ADAPTER_MEMORY: join(dir, 'adapter.json') };
    const first = runCli([...TRACE, '--backend', 'auto'], { env });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).not.toMatch(/earlier run/);
    const second = runCli([...TRACE, '--backend', 'auto'], { env });
    expect(second.status, second.stderr).toBe(0);
    const a = JSON.parse(first.stdout);
    const b = JSON.parse(second.stdout);
    expect(b.backend).toBe(a.backend);
    if (a.backend === 'CPU') {
      // no adapter, or a software one the CPU beats for links: the second run skips starting it
      expect(second.stderr).toMatch(/trace: backend CPU \(auto: .*earlier run on this machine/);
    }
    const strip = (j: { backend_reason?: string }) => ({ ...j, backend_reason: undefined });
    expect(strip(b)).toEqual(strip(a));
  });
});
