import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './paths.ts';

/**
 * The production build's asset list (`vite build`, as `npm start` and the e2e suite build it):
 * one onnxruntime wasm (the asyncify build transformers.js runs, emitted once and referenced by
 * the vision worker's code, so no runtime variant it never loads ships beside it) and nothing of
 * `sharp` (Node-only: the studio decodes images with the browser).
 */
const out = mkdtempSync(join(tmpdir(), 'rftwin-build-'));
let files: { path: string; bytes: number }[];

beforeAll(() => {
  const r = spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--logLevel',
      'warn',
      '--emptyOutDir',
    ],
    { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, RFTWIN_DIST: out } },
  );
  if (r.status !== 0) throw new Error(`vite build failed: ${r.stderr}`);
  files = readdirSync(out, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => {
      const path = join(d.parentPath, d.name);
      return { path: relative(out, path), bytes: statSync(path).size };
    });
  const total = files.reduce((s, f) => s + f.bytes, 0);
  process.stderr.write(`vite build: ${files.length} files, ${(total / 1e6).toFixed(1)} MB\n`);
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('production build assets', () => {
  it('carry exactly one onnxruntime wasm: the asyncify build, referenced by the code that loads it', () => {
    const wasm = files.filter((f) => /^ort-wasm.*\.wasm$/.test(f.path.split('/').pop()!));
    expect(wasm.map((f) => f.path)).toEqual([
      expect.stringMatching(/^assets\/ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/),
    ]);
    const source = join(
      REPO_ROOT,
      'node_modules',
      'onnxruntime-web',
      'dist',
      'ort-wasm-simd-threaded.asyncify.wasm',
    );
    expect(readFileSync(join(out, wasm[0]!.path)).equals(readFileSync(source))).toBe(true);
    // the vision worker's priors job hands exactly this file to onnxruntime
    const name = wasm[0]!.path.split('/').pop()!;
    const referencing = files.filter(
      (f) => f.path.endsWith('.js') && readFileSync(join(out, f.path), 'utf8').includes(name),
    );
    expect(
      referencing.map((f) =>
        f.path
          .split('/')
          .pop()!
          .replace(/-[\w]+\.js$/, ''),
      ),
    ).toContain('priors');
    // and no other wasm runtime, nor the emscripten glue files of the variants
    expect(files.filter((f) => /\.wasm$/.test(f.path) && !f.path.startsWith('models/'))).toHaveLength(1);
    expect(files.filter((f) => /ort-wasm.*\.mjs$/.test(f.path))).toEqual([]);
  });

  it('carry no sharp chunk', () => {
    expect(files.filter((f) => /sharp/i.test(f.path))).toEqual([]);
    for (const f of files.filter((x) => x.path.endsWith('.js')))
      expect(readFileSync(join(out, f.path), 'utf8'), f.path).not.toMatch(
        /from\s*["']sharp["']|require\(["']sharp["']\)/,
      );
  });
});
