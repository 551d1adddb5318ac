import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { evaluatePaths } from '../../src/engine/field/index.ts';
import { resolveSceneMaterials } from '../../src/engine/materials/radioMaterial.ts';
import { nodeFileSource } from '../../src/engine/node/nodeFileSource.ts';
import { loadScene } from '../../src/engine/scene/load.ts';
import { buildBvh } from '../../src/engine/tracer/bvh.ts';
import { tracePathsSync } from '../../src/engine/tracer/cpu/tracePaths.ts';
import { randomLinks } from '../../src/engine/tracer/gpu/testSupport.ts';
import { type PathGeometry, pathSignature } from '../../src/engine/tracer/path.ts';
import { sionnaSceneFiles } from '../../src/test/paths.ts';

/**
 * Acceptance 1 of issue 4 in headless Chromium: the GPU path search running in the page
 * (navigator.gpu, SwiftShader) finds the same paths as the CPU reference run here in Node, on
 * every Sionna scene, 50 links, depth 3 and 5, with gains within 0.01 dB and delays within 1 ps.
 */
const FREQUENCY = 28e9;

/** What e2e/gpu/main.ts puts on the page's globalThis. */
interface PageApi {
  adapter(): Promise<string>;
  trace(
    files: Record<string, string>,
    sceneFile: string,
    tx: readonly number[],
    rx: readonly (readonly number[])[],
    options: object,
  ): Promise<{ paths: PathGeometry[][]; stats: { undecided: number } }>;
}
type PageGlobal = { rftwinGpu: PageApi };

function sceneFiles(xml: string): Record<string, string> {
  const dir = join(xml, '..');
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}

test.beforeEach(async ({ page }) => {
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`page: ${m.text()}`);
  });
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
});

test('the page gets a WebGPU adapter', async ({ page }) => {
  const adapter = await page.evaluate(() => (globalThis as unknown as PageGlobal).rftwinGpu.adapter());
  console.log(`Chromium WebGPU adapter: ${adapter}`);
  expect(adapter).toContain('navigator.gpu');
});

for (const file of sionnaSceneFiles()) {
  for (const depth of [3, 5]) {
    test(`${file.split('/').at(-1)} depth ${depth}: same paths as the CPU reference`, async ({ page }) => {
      const scene = await loadScene(nodeFileSource, file);
      const { tx, rx } = randomLinks(scene, 50, 2000 + depth);
      const options = { maxDepth: depth, scattering: false, diffraction: false };
      const cpu = tracePathsSync(scene, buildBvh(scene), tx, rx, options);
      const name = file.split('/').at(-1)!;
      const gpu = (await page.evaluate(
        ([files, f, t, r, o]) => (globalThis as unknown as PageGlobal).rftwinGpu.trace(files, f, t, r, o),
        [sceneFiles(file), name, tx, rx, options] as const,
      )) as { paths: PathGeometry[][]; stats: { undecided: number } };
      const materials = resolveSceneMaterials(scene.materials, FREQUENCY);
      let compared = 0;
      let worstDb = 0;
      let worstPs = 0;
      rx.forEach((r, i) => {
        const c = evaluatePaths(scene, tx, r, cpu[i]!, materials, { frequencyHz: FREQUENCY });
        const g = evaluatePaths(scene, tx, r, gpu.paths[i]!, materials, { frequencyHz: FREQUENCY });
        const bySig = new Map(g.map((p) => [pathSignature(p), p]));
        expect([...bySig.keys()].sort()).toEqual(c.map(pathSignature).sort());
        for (const p of c) {
          const q = bySig.get(pathSignature(p))!;
          const pc = p.a.re ** 2 + p.a.im ** 2;
          const pg = q.a.re ** 2 + q.a.im ** 2;
          if (pc > 0 || pg > 0) worstDb = Math.max(worstDb, Math.abs(10 * Math.log10(pg / pc)));
          worstPs = Math.max(worstPs, Math.abs(q.delay - p.delay) * 1e12);
          compared++;
        }
      });
      console.log(
        `${name} depth ${depth}: ${compared} paths, worst ${worstDb.toExponential(2)} dB, ${worstPs.toExponential(2)} ps`,
      );
      expect(compared).toBeGreaterThanOrEqual(rx.length / 2);
      expect(worstDb).toBeLessThan(0.01);
      expect(worstPs).toBeLessThan(1);
    });
  }
}
