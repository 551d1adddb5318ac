import { clickWorld, expect, shot, test } from './helpers.ts';

test('a surface is clicked, inspected and overridden (ITU and validated custom values)', async ({
  studio: page,
}) => {
  // top of the wooden box of the demo room (x −3.5..−2.5, y 2..4, z 0..1; see scripts/make-demo-room.ts)
  await clickWorld(page, [-3, 3, 1]);
  const inspector = page.getByTestId('material-inspector');
  await expect(inspector.getByTestId('inspector-object')).toHaveText('box_wood');
  await expect(inspector.getByTestId('inspector-material')).toContainText('itu_wood');
  await expect(inspector.getByTestId('inspector-relativePermittivity')).toContainText('1.990');
  await expect(inspector.getByTestId('inspector-source')).toContainText('scene file');
  await shot(page, '03a-surface-inspected');

  // override with an ITU material: the parameters and the source change
  await inspector.getByTestId('itu-select').selectOption('metal');
  await expect(inspector.getByTestId('inspector-material')).toContainText('ITU metal');
  await expect(inspector.getByTestId('inspector-conductivity')).toContainText('1.000e+7');
  await expect(inspector.getByTestId('inspector-source')).toContainText('manual');

  // custom values are validated before they are applied
  await inspector.getByTestId('custom-relativePermittivity').fill('0.5');
  await inspector.getByTestId('apply-custom').click();
  await expect(inspector.getByRole('alert')).toContainText('relative_permittivity must be a number ≥ 1');
  await expect(inspector.getByTestId('inspector-material')).toContainText('ITU metal');
  await inspector.getByTestId('custom-relativePermittivity').fill('3.3');
  await inspector.getByTestId('custom-conductivity').fill('0.12');
  await inspector.getByTestId('apply-custom').click();
  await expect(inspector.getByTestId('inspector-material')).toContainText('custom');
  await expect(inspector.getByTestId('inspector-relativePermittivity')).toContainText('3.300');
  await expect(inspector.getByTestId('inspector-conductivity')).toContainText('0.1200');
  await shot(page, '03b-surface-overridden');
});
