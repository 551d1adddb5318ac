import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../chromium.ts';

/**
 * The WebGPU kernels in headless Chromium (issue 4, acceptance 1), apart from the studio's e2e
 * suite: `npx playwright test -c e2e/gpu/playwright.gpu.config.ts`. Specs are *.gpu.ts so the
 * studio's config (testDir e2e, *.spec.ts) does not pick them up. Headless Chromium gives a
 * SwiftShader WebGPU adapter with --enable-unsafe-webgpu.
 */
const PORT = Number(process.env.RFTWIN_GPU_E2E_PORT ?? 4189);

export default defineConfig({
  testDir: '.',
  testMatch: '*.gpu.ts',
  outputDir: '../../test-results/gpu',
  timeout: 300_000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: CHROMIUM_LAUNCH,
  },
  webServer: {
    command: `npx vite --config e2e/gpu/vite.config.ts --port ${PORT} --strictPort --host 127.0.0.1`,
    cwd: '../..',
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
