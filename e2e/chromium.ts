import type { LaunchOptions } from '@playwright/test';

/**
 * The system Chromium (Playwright cannot download its own browser here), with the flags that
 * give WebGL and a SwiftShader WebGPU adapter headless and keep it off the closed network.
 * Shared by the studio e2e config and the WebGPU kernel config.
 */
export const CHROMIUM_LAUNCH: LaunchOptions = {
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
};
