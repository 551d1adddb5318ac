import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

/**
 * The import rules the build enforces (run by `npm run lint`; tested by src/test/checkImports.test.ts):
 *
 * 1. Dependencies: every package a file imports is declared in package.json, and every declared
 *    package is used (imported, or one of the tools below). Computed `import(x)` is refused: the
 *    check (and bundlers) cannot see what it loads.
 * 2. Layers: src/engine imports nothing from src/app, src/cli or src/test (tests excepted), and
 *    nothing Node-only outside src/engine/node; src/app and src/cli reach the engine only through
 *    a module's index.ts (`engine/<module>/index.ts`, the module's public API), the app never
 *    through engine/node; app and cli do not import each other.
 * 3. Engine modules depend on each other only along ENGINE_LAYERS (no cycles, no upward edges:
 *    e.g. the tracer finds geometry and knows nothing of fields or metrics).
 */

/** Declared packages used by tools rather than imports, and why. */
const TOOL_PACKAGES: Record<string, string> = {
  typescript: 'tsc (npm run typecheck) and this checker',
  '@biomejs/biome': 'biome (npm run lint)',
  '@types/node': 'Node types (tsconfig.node.json)',
  '@types/react': 'React types',
  '@types/react-dom': 'React DOM types',
  '@types/three': 'three.js types',
  '@webgpu/types': 'WebGPU types (tsconfig types)',
};

/** Which engine modules each engine module may import (besides itself). */
export const ENGINE_LAYERS: Record<string, readonly string[]> = {
  core: [],
  materials: ['core'],
  gpu: ['core'],
  scene: ['core', 'materials'],
  io: ['core', 'materials', 'scene'],
  tracer: ['core', 'materials', 'scene', 'gpu'],
  field: ['core', 'materials', 'scene', 'gpu', 'tracer'],
  metrics: ['core', 'gpu', 'tracer', 'field'],
  channel: ['core', 'materials', 'scene', 'gpu', 'tracer', 'field', 'metrics'],
  radiomap: ['core', 'materials', 'scene', 'gpu', 'tracer', 'field', 'metrics', 'channel'],
  calibrate: ['core', 'materials', 'scene', 'gpu', 'tracer', 'field', 'metrics', 'channel', 'io'],
  vision: ['core', 'materials', 'scene', 'gpu', 'tracer'],
  parallel: ['core', 'materials', 'scene', 'gpu', 'tracer', 'field', 'metrics', 'channel', 'radiomap'],
  dynamics: ['core', 'materials', 'scene', 'gpu', 'tracer', 'field', 'metrics', 'channel'],
  node: ['core', 'materials', 'scene', 'gpu', 'tracer', 'field', 'metrics', 'channel', 'io', 'vision'],
  beams: ['core', 'materials', 'scene', 'gpu', 'tracer', 'field', 'metrics', 'channel', 'radiomap'],
};

/** Packages that only exist in Node: the engine reaches them through src/engine/node. */
const NODE_ONLY = new Set(['webgpu', 'sharp', 'onnxruntime-node', 'tsx', 'typescript']);

export interface ImportProblem {
  file: string;
  line: number;
  message: string;
}

const SOURCE_DIRS = ['src', 'e2e', 'bench', 'scripts', 'bin'];
const ROOT_FILES = ['vite.config.ts', 'vitest.config.ts', 'playwright.config.ts'];
const SOURCE_EXT = /\.(ts|tsx|mts|mjs|js)$/;
const BUILTINS = new Set(builtinModules);

function listSources(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (SOURCE_EXT.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const d of SOURCE_DIRS) if (existsSync(join(root, d))) walk(join(root, d));
  for (const f of ROOT_FILES) if (existsSync(join(root, f))) out.push(join(root, f));
  return out.sort();
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const lineOf = (text: string, pos: number) => text.slice(0, pos).split('\n').length;

/** Import specifiers of a file (static, re-exports, dynamic with a literal) and computed dynamic imports. */
function importsOf(text: string): { specifier: string; line: number }[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => ({ specifier: f.fileName, line: lineOf(text, f.pos) }));
}

function computedImports(text: string): number[] {
  // strip comments and string contents so that prose and literals do not count
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.JSX, text);
  const lines: number[] = [];
  let prev: ts.SyntaxKind | undefined;
  let prevPrev: ts.SyntaxKind | undefined;
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    if (prevPrev === ts.SyntaxKind.ImportKeyword && prev === ts.SyntaxKind.OpenParenToken) {
      const literal = k === ts.SyntaxKind.StringLiteral || k === ts.SyntaxKind.NoSubstitutionTemplateLiteral;
      if (!literal) lines.push(lineOf(text, scanner.getTokenStart()));
    }
    if (k !== ts.SyntaxKind.WhitespaceTrivia && k !== ts.SyntaxKind.NewLineTrivia) {
      prevPrev = prev;
      prev = k;
    }
  }
  return lines;
}

const posix = (p: string) => p.split(sep).join('/');

/** Which layer a repository-relative path is in: engine/<module>, app, cli, test, or other. */
function layerOf(rel: string): { layer: string; module?: string } {
  const m = /^src\/engine\/([^/]+)\//.exec(rel);
  if (m) return { layer: 'engine', module: m[1] };
  if (rel.startsWith('src/app/')) return { layer: 'app' };
  if (rel.startsWith('src/cli/')) return { layer: 'cli' };
  if (rel.startsWith('src/test/')) return { layer: 'test' };
  return { layer: 'other' };
}

const isTest = (rel: string) => /\.test\.tsx?$/.test(rel);

export function checkImports(root: string): ImportProblem[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const declared = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.devDependencies ?? {}),
  ]);
  const used = new Set<string>();
  const problems: ImportProblem[] = [];
  for (const abs of listSources(root)) {
    const file = posix(relative(root, abs));
    const text = readFileSync(abs, 'utf8');
    const from = layerOf(file);
    const lines = text.split('\n');
    // a computed import is allowed where a comment on its line or the line above says why
    const explained = (line: number) =>
      /computed-import:/.test(`${lines[line - 2] ?? ''}${lines[line - 1] ?? ''}`);
    for (const line of computedImports(text).filter((l) => !explained(l)))
      problems.push({
        file,
        line,
        message: 'computed import(): use a string literal so the dependency can be checked',
      });
    for (const { specifier, line } of importsOf(text)) {
      const bare = !specifier.startsWith('.') && !specifier.startsWith('/');
      if (bare) {
        const name = specifier.startsWith('node:') ? specifier : packageOf(specifier);
        const builtin = specifier.startsWith('node:') || BUILTINS.has(name);
        if (!builtin) {
          used.add(name);
          if (!declared.has(name))
            problems.push({
              file,
              line,
              message: `imports '${specifier}' but package.json does not declare '${name}'`,
            });
        }
        if (
          from.layer === 'engine' &&
          from.module !== 'node' &&
          !isTest(file) &&
          (builtin || NODE_ONLY.has(name))
        )
          problems.push({
            file,
            line,
            message: `engine code imports Node-only '${specifier}': put it in src/engine/node`,
          });
        continue;
      }
      const target = posix(relative(root, resolve(dirname(abs), specifier.split('?')[0]!)));
      const to = layerOf(target);
      if (from.layer === 'engine') {
        if (to.layer === 'app' || to.layer === 'cli' || (to.layer === 'test' && !isTest(file)))
          problems.push({ file, line, message: `engine imports upward from ${target}` });
        if (to.layer === 'engine' && to.module !== from.module && !isTest(file)) {
          const allowed = ENGINE_LAYERS[from.module!];
          if (!allowed)
            problems.push({
              file,
              line,
              message: `engine module '${from.module}' is not in ENGINE_LAYERS (scripts/check-imports.ts)`,
            });
          else if (!allowed.includes(to.module!))
            problems.push({
              file,
              line,
              message: `engine/${from.module} may not import engine/${to.module} (${target}); allowed: ${allowed.join(', ') || 'nothing'}`,
            });
        }
      }
      if ((from.layer === 'app' || from.layer === 'cli') && to.layer === 'engine') {
        const entry = /^src\/engine\/[^/]+\/index\.ts$/.test(target);
        if (!entry && !isTest(file))
          problems.push({
            file,
            line,
            message: `deep import ${target}: import the module's index.ts (its public API)`,
          });
        if (from.layer === 'app' && to.module === 'node' && !isTest(file))
          problems.push({ file, line, message: "the studio cannot use the engine's Node adapters" });
      }
      if ((from.layer === 'app' && to.layer === 'cli') || (from.layer === 'cli' && to.layer === 'app'))
        problems.push({ file, line, message: `${from.layer} imports ${to.layer} (${target})` });
    }
  }
  for (const name of declared)
    if (!used.has(name) && !(name in TOOL_PACKAGES))
      problems.push({ file: 'package.json', line: 1, message: `declares '${name}' but nothing imports it` });
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(process.argv[2] ?? '.');
  if (!statSync(join(root, 'package.json')).isFile()) throw new Error(`${root}: no package.json`);
  const problems = checkImports(root);
  for (const p of problems) process.stderr.write(`${p.file}:${p.line}: ${p.message}\n`);
  if (problems.length > 0) {
    process.stderr.write(`check-imports: ${problems.length} problem(s)\n`);
    process.exit(1);
  }
  process.stdout.write('check-imports: dependencies declared and used, layers respected\n');
}
