import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { checkImports } from '../../scripts/check-imports.ts';
import { REPO_ROOT } from './paths.ts';

/** The repository stands on its own and keeps its layers (issue 11). */

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'rftwin-imports-'));
  temps.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const PACKAGE = JSON.stringify({ dependencies: { three: '1' }, devDependencies: { typescript: '5' } });

describe('import check (npm run lint)', () => {
  it('passes on this repository', () => {
    expect(checkImports(REPO_ROOT)).toEqual([]);
  });

  it('fails on an undeclared package, a computed import and an unused declaration', () => {
    const root = tree({
      'package.json': JSON.stringify({ dependencies: { three: '1', unusedlib: '1' } }),
      'src/app/a.ts':
        "import { x } from 'left-pad/sub';\nimport * as T from 'three';\nexport const y = [x, T];\n",
      'src/app/b.ts': 'const id = "three";\nexport const m = import(id);\n',
    });
    const messages = checkImports(root).map((p) => `${p.file}:${p.line}: ${p.message}`);
    expect(messages).toContain(
      "src/app/a.ts:1: imports 'left-pad/sub' but package.json does not declare 'left-pad'",
    );
    expect(messages.some((m) => m.startsWith('src/app/b.ts:2: computed import()'))).toBe(true);
    expect(messages).toContain("package.json:1: declares 'unusedlib' but nothing imports it");
    expect(messages.filter((m) => m.includes("'three'"))).toEqual([]);
  });

  it('fails on upward, deep and cross-layer imports and on Node-only engine code', () => {
    const root = tree({
      'package.json': PACKAGE,
      'src/engine/core/index.ts': 'export const c = 1;\n',
      'src/engine/core/up.ts': "import { a } from '../../app/a.ts';\nexport const u = a;\n",
      'src/engine/core/fs.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
      'src/engine/tracer/t.ts': "import { f } from '../field/f.ts';\nexport const t = f;\n",
      'src/engine/field/f.ts': "import { c } from '../core/index.ts';\nexport const f = c;\n",
      'src/app/a.ts': "import { f } from '../engine/field/f.ts';\nexport const a = f;\n",
      'src/cli/c.ts':
        "import { a } from '../app/a.ts';\nimport { c } from '../engine/core/index.ts';\nexport const x = [a, c];\n",
    });
    const messages = checkImports(root).map((p) => `${p.file}:${p.line}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'src/engine/core/up.ts:1: engine imports upward from src/app/a.ts',
        "src/engine/core/fs.ts:1: engine code imports Node-only 'node:fs': put it in src/engine/node",
        expect.stringMatching(/^src\/engine\/tracer\/t\.ts:1: engine\/tracer may not import engine\/field/),
        "src/app/a.ts:1: deep import src/engine/field/f.ts: import the module's index.ts (its public API)",
        'src/cli/c.ts:1: cli imports app (src/app/a.ts)',
      ]),
    );
    // the field importing core through its index is allowed, and so is the CLI's index import
    expect(messages.some((m) => m.startsWith('src/engine/field/f.ts'))).toBe(false);
    expect(messages.some((m) => m.startsWith('src/cli/c.ts:2'))).toBe(false);
  });
});

describe('the repository reads nothing outside itself', () => {
  // Absolute paths of a particular machine or a folder beside the checkout. System locations of
  // the packages scripts/setup.sh installs (/usr/bin/chromium, /usr/lib/chromium/…) are allowed:
  // they are what that set-up provides on every machine.
  const FORBIDDEN = [
    /\.\.\/shared\b/,
    /['"`](?:\/(?:home|root|work|tmp|Users|mnt|opt|srv|var)\/|[A-Za-z]:\\\\)/,
  ];
  const files = (dir: string): string[] =>
    readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return e.name === 'node_modules' ? [] : files(p);
      return /\.(ts|tsx|mjs|js|sh|json|html)$/.test(e.name) ? [p] : [];
    });

  it('no file under src/, e2e/, bench/, scripts/ names ../shared or a machine path', () => {
    const offending: string[] = [];
    for (const dir of ['src', 'e2e', 'bench', 'scripts', 'bin', '.ci']) {
      for (const f of files(dir)) {
        if (f === join('src', 'test', 'boundaries.test.ts')) continue; // the patterns themselves
        readFileSync(join(REPO_ROOT, f), 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (FORBIDDEN.some((re) => re.test(line))) offending.push(`${f}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(offending).toEqual([]);
  });

  it('the patterns catch what they are meant to', () => {
    for (const bad of [
      "'../shared/scenes/sionna'",
      "'/work/shared/x.xml'",
      '"/tmp/out.json"',
      "'C:\\\\scenes'",
    ])
      expect(FORBIDDEN.some((re) => re.test(bad))).toBe(true);
    expect(FORBIDDEN.some((re) => re.test("'/usr/bin/chromium'"))).toBe(false);
  });
});

describe('the engine has no DOM', () => {
  function engineDiagnostics(probe: string): string[] {
    const configPath = join(REPO_ROOT, 'tsconfig.engine.json');
    const config = ts.getParsedCommandLineOfConfigFile(
      configPath,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    )!;
    // the probe sits inside src/engine so that it is compiled exactly as an engine file
    const probeFile = join(REPO_ROOT, 'src', 'engine', 'core', '__domProbe.ts');
    const host = ts.createCompilerHost(config.options);
    const readFile = host.readFile.bind(host);
    host.readFile = (f) => (f === probeFile ? probe : readFile(f));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (f) => f === probeFile || fileExists(f);
    const program = ts.createProgram([...config.fileNames, probeFile], config.options, host);
    return ts
      .getPreEmitDiagnostics(program, program.getSourceFile(probeFile))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }

  it('type-checking the engine project fails on document, window and navigator', () => {
    const errors = engineDiagnostics(
      "import { vec3 } from './vec3.ts';\nexport const p = vec3(1, 2, 3);\nexport const a = document.title;\nexport const b = window.name;\nexport const c = navigator.gpu;\n",
    );
    expect(errors.length).toBe(3);
    for (const name of ['document', 'window', 'navigator'])
      expect(errors.some((e) => e.includes(`Cannot find name '${name}'`))).toBe(true);
  });

  it('and accepts the same probe without them', () => {
    expect(engineDiagnostics("import { vec3 } from './vec3.ts';\nexport const p = vec3(1, 2, 3);\n")).toEqual(
      [],
    );
  });
});
