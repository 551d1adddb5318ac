// Builds the `rftwin` CLI into one JavaScript bundle (dist-cli/), so that the command starts
// with plain Node instead of transpiling TypeScript at run time (tsx took 2–3 s before any work).
// Packages stay external (resolved from node_modules at run time); each command is its own
// chunk, loaded only when that command runs. `*.wgsl?raw` imports become strings, as under Vite.
// Each build goes to its own folder dist-cli/build-*; dist-cli/current.json names the current one
// and lists the source files that went into it, so that bin/rftwin.mjs can tell a stale bundle
// (a source newer than the build) and rebuild it. Runs already started keep their folder: a
// rebuild never pulls a chunk from under a running command.
//
// Run by scripts/setup.sh and `npm run build:cli`; bin/rftwin.mjs calls buildCli() itself when
// the bundle is missing or stale.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_DIR = join(ROOT, 'dist-cli');
/** { dir, builtAtMs, inputs }: the current build's folder and the sources it was built from */
export const CLI_CURRENT = join(CLI_DIR, 'current.json');
/** builds older than this (and not current) are removed by the next build */
const KEEP_OLD_BUILDS_MS = 10 * 60 * 1000;

const rawText = {
  name: 'raw-text',
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: resolve(args.resolveDir, args.path.slice(0, -4)),
      namespace: 'raw-text',
    }));
    build.onLoad({ filter: /.*/, namespace: 'raw-text' }, (args) => ({
      contents: readFileSync(args.path, 'utf8'),
      loader: 'text',
      watchFiles: [args.path],
    }));
  },
};

/**
 * The folder of the current build, or undefined when there is none, it is gone, or one of the
 * sources it was built from is newer than it (or missing).
 */
export function currentBuild(pointer = CLI_CURRENT) {
  try {
    const { dir, builtAtMs, inputs } = JSON.parse(readFileSync(pointer, 'utf8'));
    for (const f of inputs) if (statSync(f).mtimeMs > builtAtMs) return undefined;
    statSync(join(dir, 'main.js'));
    return dir;
  } catch {
    return undefined;
  }
}

/** Build into a new folder, then point current.json at it (an atomic rename). */
export async function buildCli() {
  const { build } = await import('esbuild');
  const started = Date.now();
  mkdirSync(CLI_DIR, { recursive: true });
  const dir = mkdtempSync(join(CLI_DIR, 'build-'));
  try {
    const result = await build({
      absWorkingDir: ROOT,
      // poolWorker: the entry of the worker threads of `--threads N` (src/cli/workerPool.ts)
      entryPoints: { main: 'src/cli/main.ts', poolWorker: 'src/cli/poolWorker.ts' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outdir: dir,
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'error',
      plugins: [rawText],
    });
    const inputs = Object.keys(result.metafile.inputs).map((p) =>
      p.startsWith('raw-text:') ? p.slice('raw-text:'.length) : join(ROOT, p),
    );
    const pointer = join(dir, 'current.json');
    writeFileSync(pointer, JSON.stringify({ dir, builtAtMs: started, inputs }));
    renameSync(pointer, CLI_CURRENT);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  for (const name of readdirSync(CLI_DIR)) {
    const old = join(CLI_DIR, name);
    if (!name.startsWith('build-') || old === dir) continue;
    if (Date.now() - statSync(old).mtimeMs > KEEP_OLD_BUILDS_MS)
      rmSync(old, { recursive: true, force: true });
  }
  return dir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stderr.write(`build-cli: ${await buildCli()}\n`);
}
