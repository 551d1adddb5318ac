import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './e2e/chromium.ts';

/**
 * End-to-end tests of the built studio in the system Chromium (no Playwright browser download
 * here). WebGL and WebGPU run on SwiftShader in headless mode; flags below enable both.
 */
const PORT = Number(process.env.RFTWIN_E2E_PORT ?? 4179);

export default defineConfig({
  testDir: 'e2e',
  outputDir: process.env.RFTWIN_E2E_OUT ?? 'test-results',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    acceptDownloads: true,
    launchOptions: CHROMIUM_LAUNCH,
  },
  webServer: {
    command: `npx vite build --logLevel warn && npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
