import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Page } from '@playwright/test';
import { CITY_PATH } from '../src/test/paths.ts';
import { load, openBuiltStudio, round, stats } from './studio.ts';

/**
 * Frame times of the studio orbiting the generated 563-object city (`npm run bench -- render`;
 * test/fixtures/city/city.obj, 13,500 triangles, six materials) in headless Chromium on
 * SwiftShader (software WebGL), at 1440 × 900. Issue 13's bar: p50 ≤ 33 ms (30 frames/s).
 *
 * The camera turns about the vertical through the orbit target by 360°/FRAMES each animation
 * frame (window.__rftwinView.orbit: what a mouse drag does, including the studio's "moving"
 * mode: half resolution, no edges); a frame time is the interval between successive animation
 * frames, each of which rendered the scene (the canvas renders on demand). Also recorded: the
 * draw calls and triangles while moving and at rest (full resolution, edges), and as a control
 * the same orbit on the demo room (a few objects): on a loaded machine both are slow, and the
 * control says how much of a city frame is the machine rather than the scene.
 * No threshold: the figures depend on the machine and its load (recorded beside them).
 */
const DIST = 'dist-bench-render';
/** Issue 13's bar: 30 frames/s ("p50 ≤ 33 ms") */
const TARGET_MS = 1000 / 30;
const WARM_UP = 20;
const FRAMES = 240;
const CONTROL_FRAMES = 120;

/** Frame intervals (ms) while orbiting `n` frames. */
function orbitFrames(page: Page, n: number): Promise<number[]> {
  return page.evaluate(async (count) => {
    const view = window.__rftwinView!;
    const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
    const out: number[] = [];
    let last = await frame();
    for (let k = 0; k < count; k++) {
      view.orbit((2 * Math.PI) / count);
      const t = await frame();
      out.push(t - last);
      last = t;
    }
    return out;
  }, n);
}

export default async function renderBench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const loadAtStart = load();
  const { browser, page, errors, close } = await openBuiltStudio(DIST, log);
  try {
    await page.goto('/?workspace=new');
    await page.getByTestId('status').getByText('New workspace').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => (window.__rftwinView?.renderInfo().calls ?? 0) > 0);
    // control: the same orbit on the demo room (a few objects): what the machine gives any scene
    await orbitFrames(page, WARM_UP);
    const control = stats(await orbitFrames(page, CONTROL_FRAMES));
    log(`control (demo room): p50 ${control.p50} ms, p95 ${control.p95} ms`);
    await page.getByTestId('file-input').setInputFiles({
      name: basename(CITY_PATH),
      mimeType: 'application/octet-stream',
      buffer: readFileSync(CITY_PATH),
    });
    await page.getByTestId('status').getByText('Loaded city: 563 objects').waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => (window.__rftwinView?.renderInfo().calls ?? 0) > 0);
    log(`city loaded; load ${loadAtStart.loadavg1m5m15m.join(' ')} on ${loadAtStart.cpus} CPUs`);
    await orbitFrames(page, WARM_UP);
    const frames = await orbitFrames(page, FRAMES);
    const moving = await page.evaluate(() => window.__rftwinView!.renderInfo());
    const s = stats(frames);
    const mean = frames.reduce((a, b) => a + b, 0) / frames.length;
    log(
      `orbit: ${FRAMES} frames, p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms (${round(1000 / mean)} frames/s); ${moving.calls} draw calls, ${moving.triangles} triangles`,
    );
    // at rest (250 ms after the last move) the view draws again at full resolution with edges
    await page.waitForTimeout(1000);
    const rested = await page.evaluate(() => window.__rftwinView!.renderInfo());
    log(`at rest: ${rested.calls} draw calls, ${rested.triangles} triangles`);
    return {
      browser: `Chromium ${browser.version()} (headless, SwiftShader WebGL)`,
      scene: 'test/fixtures/city/city.obj (563 objects, 13,500 triangles, 6 materials)',
      viewport: '1440x900',
      frames: FRAMES,
      orbitFrameMs: s,
      orbitFramesPerSecond: round(1000 / mean),
      // 30 frames/s: two intervals of a 60 Hz display (frame times land on multiples of
      // 16.7 ms, their timestamps a fraction of a millisecond apart from them)
      targetP50Ms: TARGET_MS,
      meetsTarget: s.p50 <= TARGET_MS + 1,
      orbitDrawCalls: moving.calls,
      orbitTriangles: moving.triangles,
      restedDrawCalls: rested.calls,
      controlDemoRoomOrbitFrameMs: control,
      note: 'frame time = interval between successive animation frames while the camera turns 1.5° per frame (each frame renders); while moving the studio draws at half resolution without edges, as with a mouse drag',
      loadAtStart,
      loadAtEnd: load(),
      pageErrors: errors,
    };
  } finally {
    await close();
  }
}
