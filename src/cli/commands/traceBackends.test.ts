import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { releaseGpu } from '../../engine/gpu/index.ts';
import { nodeFileSource } from '../../engine/node/index.ts';
import { loadScene } from '../../engine/scene/index.ts';
import { randomLinks } from '../../engine/tracer/gpu/testSupport.ts';
import { DEMO_ROOM_PATH, SIONNA_SCENE_NAMES, sionnaScenePath } from '../../test/paths.ts';
import { main } from '../main.ts';

/**
 * Acceptance 1 of issue 12: `rftwin trace --backend cpu` and `--backend webgpu` give the same
 * path sets (by interaction sequence), gains within 0.01 dB and delays within 1 ps, on every
 * fixture scene, 50 links, depth 1, 3 and 5, every mechanism on.
 */
const dir = mkdtempSync(join(tmpdir(), 'rftwin-backends-'));
const SCENES = [
  ...SIONNA_SCENE_NAMES.map((n) => [n, sionnaScenePath(n)] as const),
  ['demo room', DEMO_ROOM_PATH] as const,
];

let stderr: MockInstance;
let messages: string[];
beforeEach(() => {
  messages = [];
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    messages.push(String(chunk));
    return true;
  });
});
afterEach(() => stderr.mockRestore());
afterAll(releaseGpu);

interface JsonPath {
  kind: string;
  interactions: { type: string; object: string; point: number[] }[];
  delay_s: number;
  gain_db: number | null;
}

/** A path's interaction sequence: type and object of each interaction. */
const sequence = (p: JsonPath) => p.interactions.map((i) => `${i.type}:${i.object}`).join('|') || 'los';

/** Largest distance between corresponding interaction points of two paths with one sequence. */
const pointGap = (p: JsonPath, q: JsonPath) =>
  Math.max(
    0,
    ...p.interactions.map((i, k) => Math.hypot(...i.point.map((v, c) => v - q.interactions[k]!.point[c]!))),
  );

/**
 * Pairs each CPU path with the WebGPU path of the same sequence whose interaction points lie
 * within 1 mm (points, not rounded strings: a coordinate at -0.0000 and +0.0000 is one point).
 * Returns the pairs and the paths of either side left unpaired.
 */
function pairPaths(mine: JsonPath[], theirs: JsonPath[]) {
  const free = [...theirs];
  const pairs: [JsonPath, JsonPath][] = [];
  const unpaired: string[] = [];
  for (const p of mine) {
    const at = free.findIndex((q) => sequence(q) === sequence(p) && pointGap(p, q) < 1e-3);
    if (at < 0) unpaired.push(`cpu only: ${sequence(p)}`);
    else pairs.push([p, free.splice(at, 1)[0]!]);
  }
  for (const q of free) unpaired.push(`webgpu only: ${sequence(q)}`);
  return { pairs, unpaired };
}

async function trace(
  scene: string,
  tx: number[],
  rxFile: string,
  depth: number,
  backend: string,
  out: string,
) {
  const code = await main([
    'trace',
    '--scene',
    scene,
    '--frequency',
    '28e9',
    '--tx',
    tx.join(','),
    '--rx-file',
    rxFile,
    '--max-depth',
    String(depth),
    '--backend',
    backend,
    '--out',
    out,
  ]);
  expect(code, messages.join('')).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as { backend: string; links: { paths: JsonPath[] }[] };
}

describe('rftwin trace: --backend cpu = --backend webgpu', () => {
  for (const [name, file] of SCENES) {
    it(`${name}: 50 links, depth 1, 3, 5, every mechanism`, async () => {
      const scene = await loadScene(nodeFileSource, file);
      const { tx, rx } = randomLinks(scene, 50, 21);
      const rxFile = join(dir, `${name}-rx.csv`);
      writeFileSync(rxFile, `x,y,z\n${rx.map((r) => r.join(',')).join('\n')}\n`);
      let compared = 0;
      for (const depth of [1, 3, 5]) {
        const cpu = await trace(file, tx, rxFile, depth, 'cpu', join(dir, `${name}-${depth}-cpu.json`));
        const gpu = await trace(file, tx, rxFile, depth, 'webgpu', join(dir, `${name}-${depth}-gpu.json`));
        expect(cpu.backend).toBe('CPU');
        expect(gpu.backend).toMatch(/^WebGPU/);
        expect(gpu.links).toHaveLength(cpu.links.length);
        cpu.links.forEach((link, l) => {
          const { pairs, unpaired } = pairPaths(link.paths, gpu.links[l]!.paths);
          expect(unpaired, `link ${l}, depth ${depth}`).toEqual([]);
          for (const [p, q] of pairs) {
            expect(Math.abs(q.delay_s - p.delay_s)).toBeLessThan(1e-12);
            if (p.gain_db !== null && p.gain_db > -250)
              expect(Math.abs(q.gain_db! - p.gain_db)).toBeLessThan(0.01);
            compared++;
          }
        });
      }
      expect(compared).toBeGreaterThan(50);
    }, 600_000);
  }
});
