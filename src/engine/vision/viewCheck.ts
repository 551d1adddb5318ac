import type { Scene } from '../scene/types.ts';
import { type Bvh, closestHit } from '../tracer/bvh.ts';
import { cameraCentre, pixelRay } from './camera.ts';
import type { ViewImage } from './surfacePriors.ts';
import type { PointView } from './visibility.ts';

/**
 * Pose sanity: a view whose camera pose is wrong (another frame, a scale error, cameras 100 m
 * away) shows nothing of the scene, and its crops would be of the wrong surfaces or none. Every
 * view is checked before any crop is taken: a view in which no patch sample point projects into
 * the image and none of a 3 × 3 grid of pixel rays meets the scene is "not in frame"; one that
 * has the scene in frame but in which no sample point passes the depth test sees "nothing"
 * usable (the camera is inside geometry or pressed against a surface). Both are reported by
 * their number in transforms.json and left out.
 */
export interface ViewReport {
  /** the frame's file path, as transforms.json names it */
  name: string;
  /** 1-based position in transforms.json */
  index: number;
  status: 'ok' | 'not in frame' | 'nothing visible';
  /** sample points in the image (in front of the camera, inside its bounds) */
  inFrame: number;
  /** of the 3 × 3 grid of pixel rays, how many meet the scene */
  raysOnScene: number;
  /** sample points that pass the depth test */
  visible: number;
  /** crops taken from the view (set once the crops are chosen) */
  crops: number;
  /** one line: "view 3 (images/frame_00003.png): the scene is not in frame" */
  message: string;
}

/** Reports of every view from the visibility of every patch sample point ([view][patch][point]). */
export function viewReports(
  scene: Scene,
  bvh: Bvh,
  views: readonly ViewImage[],
  seen: PointView[][][],
): ViewReport[] {
  return views.map((view, k) => {
    const points = seen[k]!.flat();
    const inFrame = points.filter((p) => p.verdict !== 'behind' && p.verdict !== 'outside').length;
    const visible = points.filter((p) => p.verdict === 'visible').length;
    const cam = view.camera;
    const eye = cameraCentre(cam);
    let raysOnScene = 0;
    for (const fy of [0.1, 0.5, 0.9])
      for (const fx of [0.1, 0.5, 0.9])
        if (closestHit(scene, bvh, eye, pixelRay(cam, fx * cam.width, fy * cam.height))) raysOnScene++;
    const status: ViewReport['status'] =
      inFrame === 0 && raysOnScene === 0 ? 'not in frame' : visible === 0 ? 'nothing visible' : 'ok';
    const what =
      status === 'not in frame'
        ? 'the scene is not in frame'
        : status === 'nothing visible'
          ? 'the scene is in frame but no surface point passes the depth test (is the camera inside geometry or pressed against a surface?)'
          : `${visible} of ${points.length} surface sample points visible`;
    return {
      name: view.name,
      index: k + 1,
      status,
      inFrame,
      raysOnScene,
      visible,
      crops: 0,
      message: `view ${k + 1} (${view.name}): ${what}`,
    };
  });
}
