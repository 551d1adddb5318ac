import { canvasColourCount, expect, shot, test } from './helpers.ts';

test('the demo twin loads and renders with its material legend', async ({ studio: page }) => {
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-scene', 'room');
  await expect(page.getByTestId('status')).toContainText('9 objects');
  // the legend lists the five materials of paper 003's room with their source
  const legend = page.getByTestId('material-legend');
  for (const m of ['itu_brick', 'itu_wood', 'itu_concrete', 'itu_marble', 'itu_chipboard'])
    await expect(legend).toContainText(m);
  await expect(legend).toContainText('scene file');
  // the canvas actually drew the scene (many colours, not a blank clear colour)
  await expect.poll(() => canvasColourCount(page)).toBeGreaterThan(20);
  // WebGPU (SwiftShader) or a visible CPU fallback notice
  await expect(page.getByTestId('backend')).toHaveText(/WebGPU|CPU fallback/);
  await shot(page, '01-demo-loaded');
});
