import { defineConfig } from 'vitest/config';

/**
 * Test tiers (all run in Node; the studio itself is tested by Playwright in e2e/):
 * - unit: the pure engine and app logic, no GPU device, no subprocess (`npm run test:unit`)
 * - gpu:  WebGPU kernels through Dawn (SwiftShader where there is no GPU): `*.gpu.test.ts`
 * - cli:  the real `rftwin` command run as a subprocess: `src/cli/**`; and the production build
 *         (`vite build` as a subprocess: src/test/buildAssets.test.ts)
 * - heavy: engine tests that render or ray-cast whole scenes, physics checks that need 10⁵–10⁶
 *         rays to mean anything (`*.slow.test.ts`), and repository-wide checks
 *         (each tens of seconds; kept out of unit so the inner loop stays under 90 s)
 * - fuzz: property-based fuzzing of every loader (`*.fuzz.test.ts`, fast-check, fixed seed):
 *         1,000 cases per loader here; `npm run fuzz` runs 10,000 each and records the counts
 * - fidelity: the path search against an exhaustive image-method reference on generated scenes
 *         (`*.fidelity.test.ts`, minutes; `npm run test:fidelity`)
 * `npm test` runs all six, then the e2e suites.
 */
const HEAVY = [
  'src/engine/vision/demoViews.test.ts',
  'src/engine/vision/roughness.test.ts',
  'src/test/boundaries.test.ts',
  'src/engine/tracer/cpu/watertight.test.ts',
  'src/**/*.slow.test.ts',
];
// A hang guard, not a speed bound: these machines are shared, and speed lives in benchmarks.
const shared = {
  environment: 'node' as const,
  testTimeout: 900_000,
  hookTimeout: 900_000,
};
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: [
            'src/**/*.gpu.test.ts',
            'src/**/*.fuzz.test.ts',
            'src/**/*.fidelity.test.ts',
            'src/cli/**',
            'src/test/buildAssets.test.ts',
            ...HEAVY,
          ],
        },
      },
      { test: { ...shared, name: 'heavy', include: HEAVY } },
      { test: { ...shared, name: 'fuzz', include: ['src/**/*.fuzz.test.ts'] } },
      { test: { ...shared, name: 'fidelity', include: ['src/**/*.fidelity.test.ts'] } },
      {
        test: {
          ...shared,
          name: 'gpu',
          include: ['src/**/*.gpu.test.ts'],
          setupFiles: ['src/test/gpuSetup.ts'],
        },
      },
      {
        test: { ...shared, name: 'cli', include: ['src/cli/**/*.test.ts', 'src/test/buildAssets.test.ts'] },
      },
    ],
  },
});
