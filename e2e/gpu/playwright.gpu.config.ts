import { defineConfig } from '@playwright/test';

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
    launchOptions: {
      executablePath: process.env.RFTWIN_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--enable-unsafe-webgpu',
        '--enable-unsafe-swiftshader',
        '--use-angle=swiftshader',
        '--enable-features=Vulkan',
        '--use-vulkan=swiftshader',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `npx vite --config e2e/gpu/vite.config.ts --port ${PORT} --strictPort --host 127.0.0.1`,
    cwd: '../..',
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
