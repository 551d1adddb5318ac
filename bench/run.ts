import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { registerNodeGpu } from '../src/engine/node/index.ts';

/**
 * Benchmark dispatcher (`npm run bench [-- name …]`): imports every bench/*.bench.ts, runs its
 * default export, prints the results as JSON on stdout and writes bench/results/<name>.json.
 *
 * Contract for a benchmark module `bench/<name>.bench.ts`:
 *   export default async function (log: (line: string) => void): Promise<Record<string, unknown>>
 * `log` writes progress to stderr; the returned object is the JSON result (add units to keys:
 * `timePerLinkMs`, `pathsPerSecond`). A module without a default export is treated as a script
 * that runs when imported and writes its own results. Arguments after `--` select benchmarks
 * by name.
 */
type Bench = (log: (line: string) => void) => Promise<Record<string, unknown>>;

registerNodeGpu(); // benchmarks of the WebGPU backend run on Dawn (SwiftShader where there is no GPU)
const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const names = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .filter((n) => only.length === 0 || only.includes(n))
  .sort();
if (names.length === 0) {
  process.stderr.write(`bench: no benchmark matches ${only.join(', ')}\n`);
  process.exit(2);
}
const outDir = join(here, 'results');
mkdirSync(outDir, { recursive: true });
const all: Record<string, unknown> = {};
let failed = 0;
for (const name of names) {
  const log = (line: string) => process.stderr.write(`[${name}] ${line}\n`);
  const started = performance.now();
  try {
    const mod = (await import(pathToFileURL(join(here, `${name}.bench.ts`)).href)) as { default?: Bench };
    if (typeof mod.default !== 'function') {
      // a script-style benchmark ran while being imported and wrote its own results
      const wallSeconds = (performance.now() - started) / 1000;
      all[name] = { benchmark: name, script: true, wallSeconds };
      log(`ran as a script in ${wallSeconds.toFixed(1)} s (it writes its own results)`);
      continue;
    }
    const result = {
      benchmark: name,
      date: new Date().toISOString(),
      node: process.version,
      ...(await mod.default(log)),
      wallSeconds: (performance.now() - started) / 1000,
    };
    writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    all[name] = result;
    log(`done in ${result.wallSeconds.toFixed(1)} s → bench/results/${name}.json`);
  } catch (e) {
    failed++;
    all[name] = { error: (e as Error).message };
    log(`FAILED: ${(e as Error).stack ?? e}`);
  }
}
process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
process.exit(failed > 0 ? 1 : 0);
