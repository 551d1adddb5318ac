import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { AdapterMemory } from '../gpu/device.ts';

/**
 * What Dawn found on this machine, remembered between CLI runs: starting an adapter costs about
 * 0.5 s (more on a loaded machine), and `auto` runs link traces and calibrations on the CPU when
 * the adapter is software (SwiftShader) or absent (channel/autoRule.ts). The memory is keyed on
 * everything that decides which adapter Dawn finds (host, Vulkan ICD settings, GPU device nodes)
 * and forgotten after a day, so a new driver or GPU is seen at the latest then; `--backend
 * webgpu` always starts the adapter. RFTWIN_ADAPTER_MEMORY names the file (tests), `off` disables.
 */
const MAX_AGE_MS = 24 * 3600 * 1000;

function memoryFile(): string | undefined {
  const env = process.env.RFTWIN_ADAPTER_MEMORY;
  if (env === 'off') return undefined;
  if (env) return env;
  let user = 'user';
  try {
    user = String(userInfo().uid);
  } catch {
    // no user entry (containers): one file for everyone is still correct, just shared
  }
  return join(tmpdir(), `rftwin-adapter-${user}.json`);
}

function gpuDeviceNodes(): string[] {
  const list = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  return [
    ...list('/dev').filter((n) => /^(nvidia|kfd|dxg|mali|dri)/.test(n)),
    ...list('/dev/dri').map((n) => `dri/${n}`),
  ].sort();
}

// the environment as the process started: nodeGpu.ts sets VK_ICD_FILENAMES itself when it
// falls back to SwiftShader, and the key must describe the situation a new run starts from
const START_ENV = {
  icd: process.env.VK_ICD_FILENAMES ?? '',
  swiftshader: process.env.RFTWIN_SWIFTSHADER_ICD ?? '',
};

function machineKey(): string {
  return JSON.stringify({
    host: hostname(),
    platform: process.platform,
    arch: process.arch,
    ...START_ENV,
    devices: gpuDeviceNodes(),
  });
}

export function rememberedNodeAdapter(now = Date.now()): AdapterMemory | undefined {
  const file = memoryFile();
  if (!file) return undefined;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as {
      key?: unknown;
      atMs?: unknown;
      facts?: { available?: unknown; software?: unknown; problem?: unknown };
    };
    const f = m.facts;
    if (m.key !== machineKey() || typeof m.atMs !== 'number' || !(now - m.atMs < MAX_AGE_MS) || !f)
      return undefined;
    if (typeof f.available !== 'boolean' || typeof f.software !== 'boolean') return undefined;
    return {
      available: f.available,
      software: f.software,
      ...(typeof f.problem === 'string' ? { problem: f.problem } : {}),
    };
  } catch {
    return undefined; // none yet, unreadable or from another version: start the adapter
  }
}

export function rememberNodeAdapter(facts: AdapterMemory, now = Date.now()): void {
  const file = memoryFile();
  if (!file) return;
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key: machineKey(), atMs: now, facts }));
    renameSync(tmp, file); // whole or not at all: concurrent runs never read half a file
  } catch {
    // a read-only temp folder only costs the next run the adapter start-up
  }
}
