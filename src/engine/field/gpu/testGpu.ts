import { acquireGpu, type GpuContext } from '../../gpu/device.ts';

/**
 * The WebGPU device for a test, or a failure that says why (never a skip): the CI machine has
 * SwiftShader after scripts/setup.sh, so a missing adapter is an error to fix, not a pass.
 * Called inside each test so that every test fails on its own with the message.
 */
export async function requireGpu(): Promise<GpuContext> {
  try {
    return await acquireGpu();
  } catch (e) {
    throw new Error(
      `WebGPU field tests need an adapter (Dawn + SwiftShader: scripts/setup.sh installs it): ${(e as Error).message}`,
    );
  }
}
