import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ituParameters } from '../../engine/materials/itu.ts';
import { runCli } from '../../test/cli.ts';

/**
 * `rftwin priors` on the demo twin (public/demo/room.xml + the rendered views in
 * public/demo/views) with the tiny local CLIP model, and its hand-off to `rftwin calibrate --init`.
 */
const dir = mkdtempSync(join(tmpdir(), 'rftwin-priors-'));
const DEMO = ['--scene', 'public/demo/room.xml', '--images', 'public/demo/views/transforms.json'];
const demoTruthLabels: Record<string, string> = {
  itu_brick: 'brick',
  itu_wood: 'wood',
  itu_concrete: 'concrete',
  itu_marble: 'marble',
  itu_chipboard: 'chipboard',
};

describe('rftwin priors', () => {
  it('writes vision priors for the demo twin that rftwin calibrate --init accepts', () => {
    const out = join(dir, 'priors.json');
    const r = runCli(['priors', ...DEMO, '--model', 'public/models/tiny-clip', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${out}`);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file.format).toBe('rftwin-priors/1');
    expect(file.source).toBe('vision');
    // every demo material is recognised from the images and mapped to its ITU parameters
    for (const [id, label] of Object.entries(demoTruthLabels)) {
      expect(file.material_evidence[id]).toMatchObject({ source: 'vision', label });
      const itu = ituParameters(label, 28e9);
      expect(file.materials[id].itu_name).toBe(label);
      expect(file.materials[id].relative_permittivity).toBeCloseTo(itu.relativePermittivity, 4);
      expect(file.materials[id].conductivity / itu.conductivity).toBeCloseTo(1, 4);
      expect(file.materials[id].scattering_coefficient).toBeGreaterThanOrEqual(0);
      expect(file.materials[id].scattering_coefficient).toBeLessThanOrEqual(1);
    }
    for (const o of Object.values(file.objects) as Record<string, unknown>[]) {
      expect(o.status).toBe('seen');
      expect((o.views_used as string[]).length).toBeGreaterThan(0);
      expect(o.top3 as unknown[]).toHaveLength(3);
    }

    const cal = runCli([
      'calibrate',
      '--scene',
      'public/demo/room.xml',
      '--frequency',
      '28e9',
      '--soundings',
      'public/demo/soundings.csv',
      '--init',
      out,
      '--max-iterations',
      '3',
      '--out',
      join(dir, 'calibrated.json'),
    ]);
    expect(cal.status, cal.stderr).toBe(0);
    expect(cal.stderr).toContain(`init ${out}`);
  });

  it('without the model says so in one line and writes name-based priors (exit 0)', () => {
    for (const [model, extra] of [
      ['some-missing-id', []],
      ['some-missing-id', ['--offline']],
      ['./no/such/model/folder', []],
    ] as [string, string[]][]) {
      const out = join(dir, `names-${model.replace(/\W/g, '_')}-${extra.length}.json`);
      const r = runCli(['priors', ...DEMO, '--model', model, ...extra, '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      const lines = r.stderr.split('\n').filter((l) => l.includes('could not be loaded'));
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toContain(model);
      expect(lines[0]).toContain('name-based priors');
      const file = JSON.parse(readFileSync(out, 'utf8'));
      expect(file.source).toBe('name');
      // the demo's materials carry ITU names: the fallback keeps them with their ITU parameters
      for (const [id, label] of Object.entries(demoTruthLabels)) {
        expect(file.materials[id].itu_name).toBe(label);
        expect(file.materials[id].relative_permittivity).toBeCloseTo(
          ituParameters(label, 28e9).relativePermittivity,
          4,
        );
      }
    }
  });

  it('bad input is reported, not crashed on: missing transforms.json, unknown candidate', () => {
    const missing = runCli([
      'priors',
      '--scene',
      'public/demo/room.xml',
      '--images',
      'nowhere/transforms.json',
      '--out',
      join(dir, 'x.json'),
    ]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('nowhere/transforms.json');
    const cand = runCli([
      'priors',
      ...DEMO,
      '--candidates',
      'brick,unobtainium',
      '--out',
      join(dir, 'y.json'),
    ]);
    expect(cand.status).not.toBe(0);
    expect(cand.stderr).toContain('unobtainium');
  });

  it('views with wrong poses: the one off frame is named and left out; all off frame is an error and no file', () => {
    const views = join(dir, 'views');
    cpSync('public/demo/views', views, { recursive: true });
    const t = JSON.parse(readFileSync(join(views, 'transforms.json'), 'utf8'));
    // 100 m along each camera's own right axis: the room leaves the frame
    const shift = (frame: { transform_matrix: number[][] }) => {
      const m = frame.transform_matrix;
      for (let r = 0; r < 3; r++) m[r]![3]! += 100 * m[r]![0]!;
    };
    shift(t.frames[2]);
    writeFileSync(join(views, 'one-off.json'), JSON.stringify(t));
    const out = join(dir, 'one-off-priors.json');
    const one = runCli([
      'priors',
      '--scene',
      'public/demo/room.xml',
      '--images',
      join(views, 'one-off.json'),
      '--model',
      'public/models/tiny-clip',
      '--out',
      out,
    ]);
    expect(one.status, one.stderr).toBe(0);
    expect(one.stderr).toContain(
      'warning: view 3 (images/frame_00003.png): the scene is not in frame; left out',
    );
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file.source).toBe('vision');
    expect(file.views[2]).toMatchObject({ view: 3, status: 'not in frame', crops: 0 });
    expect(file.views.filter((v: { status: string }) => v.status === 'ok')).toHaveLength(7);

    for (const f of t.frames) shift(f);
    writeFileSync(join(views, 'all-off.json'), JSON.stringify(t));
    const none = join(dir, 'all-off-priors.json');
    const all = runCli([
      'priors',
      '--scene',
      'public/demo/room.xml',
      '--images',
      join(views, 'all-off.json'),
      '--model',
      'public/models/tiny-clip',
      '--out',
      none,
    ]);
    expect(all.status).not.toBe(0);
    expect(all.stderr).toContain(
      `${join(views, 'all-off.json')}: no view shows the scene (view 1 (images/frame_00001.png): the scene is not in frame;`,
    );
    expect(existsSync(none)).toBe(false);
  });
});
