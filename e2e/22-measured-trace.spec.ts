import { readFileSync, writeFileSync } from 'node:fs';
import { ARTIFACTS, expect, shot, test } from './helpers.ts';
import { addDevice, clickPlan } from './work.ts';

/**
 * Issue 14, measured traces in the studio: a "measured" trace (the studio's own timeline of a
 * person crossing a link, 2 dB lower and with a ±0.2 dB ripple) is uploaded, overlaid on the path
 * gain plot, and the person's size fitted to it; the fitted depth (the body's extent across the
 * link) comes back with its standard deviation, and the person and that step's paths are drawn
 * in the 3D view at the step shown.
 */

test('a measured trace: uploaded, overlaid, the person fitted to it, the person drawn in 3D', async ({
  studio: page,
}) => {
  test.setTimeout(600_000);
  await addDevice(page, 'tx', [-3, 0, 1.2]);
  await addDevice(page, 'rx', [1, 0, 1.2]);
  // LoS + diffraction at depth 1: the blockage fade, quickly
  const link = page.getByTestId('link-panel');
  const depth = link.getByLabel('maximum interactions per path');
  await depth.fill('1');
  await depth.press('Enter');
  for (const m of ['refl.', 'trans.', 'scatter']) await link.getByLabel(m, { exact: true }).uncheck();

  const panel = page.getByTestId('dynamics-panel');
  await panel.getByTestId('add-person').click();
  const plan = panel.getByTestId('floor-plan');
  await clickPlan(plan, -1, -2);
  await clickPlan(plan, -1, 2);
  await panel.getByTestId('draw-walk-person-1').click();
  await panel.getByTestId('run-timeline').click();
  // (waited on the plots, not the status line: the link re-traces of the settings above may
  // replace the status message before a poll sees it)
  await expect(panel.getByTestId('timeline-plots')).toBeVisible({ timeout: 300_000 });

  // the "measurement": this timeline's coherent gain − 2 dB with a ripple, as a CSV
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByTestId('export-timeline').click(),
  ]);
  const exported = `${ARTIFACTS}/${dl.suggestedFilename()}`;
  await dl.saveAs(exported);
  const steps = readFileSync(exported, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => JSON.parse(l) as { t: number; metrics: { coherent_gain_db: number } });
  const csv = `${ARTIFACTS}/measured-trace.csv`;
  writeFileSync(
    csv,
    `t,path_gain_db\n${steps.map((s) => `${s.t},${s.metrics.coherent_gain_db - 2 + 0.2 * Math.sin(97 * s.t)}`).join('\n')}\n`,
  );

  // a bad trace is refused with one line naming the file and row; nothing is loaded
  const bad = `${ARTIFACTS}/bad-trace.csv`;
  writeFileSync(bad, 't,path_gain_db\n0,-60\n0.1,-61\n0.1,-62\n');
  await panel.getByTestId('trace-input').setInputFiles(bad);
  await expect(page.getByTestId('status')).toContainText(
    'bad-trace.csv: line 4: time 0.1 s does not increase',
  );
  await expect(panel.getByTestId('trace-loaded')).toHaveCount(0);

  await panel.getByTestId('trace-input').setInputFiles(csv);
  await expect(panel.getByTestId('trace-loaded')).toHaveAttribute('data-samples', String(steps.length));
  // the timeline again, at the trace's times: the measured curve overlaid on the path gain plot
  await expect(panel.getByTestId('timeline-plots')).toHaveCount(0);
  await panel.getByTestId('run-timeline').click();
  await expect(panel.getByTestId('trace-overlay')).toHaveAttribute('data-points', String(steps.length), {
    timeout: 300_000,
  });

  // the trace's stated noise: its ripple is ±0.2 dB (0.14 dB RMS)
  await panel.getByTestId('trace-noise').fill('0.3');
  await panel.getByTestId('fit-blocker').click();
  const result = panel.getByTestId('fit-result');
  await expect(result).toBeVisible({ timeout: 540_000 });
  await expect(result).toContainText('stated noise of 0.3 dB');
  // walking along y, the person's depth (0.25 m, the studio's proxy) is across the link
  const fitted = panel.getByTestId('fit-depth');
  await expect(fitted).toHaveAttribute('data-calibrated', 'true');
  const value = Number(await fitted.getAttribute('data-value'));
  const std = Number(await fitted.getAttribute('data-std'));
  expect(std).toBeGreaterThan(0);
  expect(Math.abs(value - 0.25)).toBeLessThan(3 * std + 0.005);
  await expect(fitted).toContainText(/depth: 0\.2\d\d ± 0\.\d{3} m/);
  await expect(panel.getByTestId('fit-offset')).toContainText(/offset -2\.\d\d ±|offset -1\.9\d ±/);
  await expect(panel.getByTestId('fit-overlay')).toHaveCount(1);

  // the person and the step's paths in the 3D view, at the step shown: blocked at t = 2 s
  await panel.getByTestId('timeline-scrub').fill('20');
  // (the 3D view is another React root: polled until it has drawn the step)
  const pathsAt = async (step: number) => {
    const n = Number(/(\d+) paths/.exec((await panel.getByTestId('timeline-step').textContent())!)![1]);
    await expect
      .poll(() => page.evaluate(() => window.__rftwinTimelinePaths?.() ?? null))
      .toEqual({ step, paths: n });
    return n;
  };
  await expect(panel.getByTestId('timeline-time')).toHaveText('2.00 s');
  const blocked = await pathsAt(20);
  // the link panel carries the step too
  await expect(page.getByTestId('link-timeline-step')).toHaveAttribute('data-t', String(steps[20]!.t));
  await expect(page.getByTestId('link-timeline-step')).toContainText(`${blocked} paths · LoS blocked`);
  await panel.getByTestId('timeline-scrub').fill('0');
  await expect(panel.getByTestId('timeline-time')).toHaveText('0.00 s');
  expect(await pathsAt(0)).not.toBe(blocked);
  await panel.getByTestId('timeline-scrub').fill('20');
  const proxies = await page.evaluate(() => window.__rftwinActorProxies?.() ?? []);
  expect(proxies).toHaveLength(1);
  expect(proxies[0]![0]).toBeCloseTo(-1, 1);
  expect(Math.abs(proxies[0]![1])).toBeLessThan(0.15);
  await shot(page, '22-measured-trace-fit');
});
