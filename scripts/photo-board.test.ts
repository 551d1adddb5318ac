import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../src/engine/core/image.ts';
import { nodeFileSource, nodeImageDecoder } from '../src/engine/node/index.ts';
import { loadScene } from '../src/engine/scene/load.ts';
import { buildBvh } from '../src/engine/tracer/bvh.ts';
import { loadClipEmbedder } from '../src/engine/vision/clipEmbedder.ts';
import { loadViews } from '../src/engine/vision/loadViews.ts';
import { priorsJsonText, visionPriorsFile } from '../src/engine/vision/priorsFile.ts';
import { renderClassView } from '../src/engine/vision/rayRender.ts';
import { estimateSurfacePriors } from '../src/engine/vision/surfacePriors.ts';
import { REPO_ROOT } from '../src/test/paths.ts';
import { build, expectedLabel, photoBoard, reportRows } from './photo-board.ts';

/**
 * The real-photo harness on stand-in photos: close-ups of the class textures rendered by the ray
 * caster (no real photograph is on this machine; docs/real-photos.md), laid out as a photo board,
 * read back through transforms.json and run through the vision pipeline with the tiny model.
 */
describe('photo board', () => {
  it('poses each photo on its own board at the photo’s scale; the pipeline labels them and measures roughness', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rftwin-photos-'));
    const out = join(dir, 'board');
    // in file-name order, as the board takes them
    const classes = ['brick', 'concrete', 'marble', 'wood'];
    const photos = classes.map((c, k) => ({ file: `${c}_${k + 1}.png`, width: 320, height: 240 }));
    // stand-in photos: each board, as its camera sees it, painted with its class texture
    const { scene, cameras } = photoBoard(photos, 1.5);
    const bvh = buildBvh(scene);
    for (const [k, camera] of cameras.entries())
      writeFileSync(
        join(dir, photos[k]!.file),
        encodePng(renderClassView(scene, bvh, camera, classes, { supersample: 1 })),
      );
    await build(dir, out, 1.5);
    const board = await loadScene(nodeFileSource, join(out, 'board.xml'));
    const views = await loadViews(nodeFileSource, join(out, 'transforms.json'), nodeImageDecoder);
    expect(views.map((v) => [v.name, v.camera.width, Math.round(v.camera.fx)])).toEqual(
      photos.map((p) => [`images/${p.file}`, 320, 213]),
    );
    const embedder = await loadClipEmbedder(join(REPO_ROOT, 'public', 'models', 'tiny-clip'));
    const result = await estimateSurfacePriors(board, views, embedder, { frequencyHz: 28e9 });
    await embedder.dispose();
    // every view sees only its own board, at 4.7 mm per pixel
    expect(result.views.every((v) => v.status === 'ok')).toBe(true);
    const file = visionPriorsFile(board, result, { frequencyHz: 28e9 });
    const rows = reportRows(readFileSync(join(out, 'labels.json'), 'utf8'), priorsJsonText(file));
    expect(rows).toHaveLength(4);
    for (const [k, c] of classes.entries()) {
      expect(rows[k]).toContain(`${c}_${k + 1}.png\texpected ${c}\tgot ${c} (`);
      expect(rows[k]).toContain(' ok\troughness ');
    }
    expect(rows[0]).toContain('roughness rough S 0.4 (texture)');
    expect(rows[1]).toContain('roughness rough S 0.4 (texture)');
    expect(rows[2]).toContain('roughness smooth S 0.085 (texture)');
    expect(expectedLabel('Brick-wall 03.JPG')).toBe('brick');
  }, 60_000);
});
