import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH, REPO_ROOT } from '../../test/paths.ts';
import { InputError } from '../core/errors.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import type { Scene } from '../scene/types.ts';
import type { Camera } from './camera.ts';
import { type ClipEmbedder, loadClipEmbedder } from './clipEmbedder.ts';
import { loadViews } from './loadViews.ts';
import { estimateSurfacePriors, type ViewImage } from './surfacePriors.ts';

/**
 * Pose sanity on the demo twin's views: a view whose pose puts the scene out of frame, or the
 * camera inside a box, is named by its number in transforms.json and left out; the others go on
 * and still label every material; when no view shows the scene the run is an error naming the file.
 */
const TRANSFORMS = join(REPO_ROOT, 'public', 'demo', 'views', 'transforms.json');
let scene: Scene;
let views: ViewImage[];
let embedder: ClipEmbedder;

/** The camera moved by `d` metres along its own right (+x) axis. */
const shifted = (c: Camera, d: number): Camera => {
  const m = [...c.camToWorld];
  m[3]! += d * m[0]!;
  m[7]! += d * m[4]!;
  m[11]! += d * m[8]!;
  return { ...c, camToWorld: m };
};

beforeAll(async () => {
  scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
  views = await loadViews(nodeFileSource, TRANSFORMS);
  embedder = await loadClipEmbedder(join(REPO_ROOT, 'public', 'models', 'tiny-clip'), { allowRemote: false });
});

describe('view checks before the crops', () => {
  it('a pose 100 m off and a camera pressed against a wall are named and left out; the rest label the room', async () => {
    const bad = views.map((v, k) => {
      if (k === 2) return { ...v, camera: shifted(v.camera, 100) };
      if (k === 5) {
        // 2 cm in front of the north wall (y = 5), looking at it: the wall fills the frame, but no
        // surface sample point (they are metres apart) is in the image
        const m = [1, 0, 0, 0.3, 0, 0, -1, 4.98, 0, 1, 0, 1.5, 0, 0, 0, 1];
        return { ...v, camera: { ...v.camera, camToWorld: m } };
      }
      return v;
    });
    const result = await estimateSurfacePriors(scene, bad, embedder, { viewsFile: 'transforms.json' });
    expect(result.views.map((r) => r.status)).toEqual([
      'ok',
      'ok',
      'not in frame',
      'ok',
      'ok',
      'nothing visible',
      'ok',
      'ok',
    ]);
    expect(result.views[2]!.message).toBe('view 3 (images/frame_00003.png): the scene is not in frame');
    expect(result.views[5]!.message).toBe(
      'view 6 (images/frame_00006.png): the scene is in frame but no surface point passes the depth test (is the camera inside geometry or pressed against a surface?)',
    );
    expect(result.warnings).toContain('view 3 (images/frame_00003.png): the scene is not in frame; left out');
    // no crop comes from the views left out; the others still see every material
    expect(result.views[2]!.crops).toBe(0);
    expect(result.views[5]!.crops).toBe(0);
    const used = new Set(result.objects.flatMap((e) => e?.viewsUsed ?? []));
    expect(used.has('images/frame_00003.png')).toBe(false);
    expect(used.has('images/frame_00006.png')).toBe(false);
    const labels = Object.fromEntries(scene.objects.map((o, i) => [o.name, result.objects[i]?.label]));
    expect(labels).toMatchObject({
      box_wood: 'wood',
      box_concrete: 'concrete',
      box_marble: 'marble',
      box_chipboard: 'chipboard',
      wall_north: 'brick',
    });
  });

  it('no view showing the scene is an error naming the file and every view, not name-based priors', async () => {
    const lost = views.map((v) => ({ ...v, camera: shifted(v.camera, 100) }));
    const run = estimateSurfacePriors(scene, lost, embedder, { viewsFile: 'views/transforms.json' });
    await expect(run).rejects.toBeInstanceOf(InputError);
    await expect(run).rejects.toThrow(
      /^views\/transforms\.json: no view shows the scene \(view 1 \(images\/frame_00001\.png\): the scene is not in frame; .*view 8 \(images\/frame_00008\.png\): the scene is not in frame\): check the camera poses/,
    );
  });
});
