import type { ViewImage } from './surfacePriors.ts';
import type { PointView } from './visibility.ts';

/**
 * Pose sanity: a view whose camera pose is wrong (another frame, a scale error, cameras 100 m
 * away) shows nothing of the scene, and its crops would be of the wrong surfaces or none. Every
 * view is checked against the scene's patch sample points before any crop is taken: a view in
 * which no point projects into the image is "not in frame", one in which points are in frame but
 * none passes the depth test sees "nothing" (the camera is inside or behind geometry). Both are
 * reported by their number in transforms.json and left out.
 */
export interface ViewReport {
  /** the frame's file path, as transforms.json names it */
  name: string;
  /** 1-based position in transforms.json */
  index: number;
  status: 'ok' | 'not in frame' | 'nothing visible';
  /** sample points in the image (in front of the camera, inside its bounds) */
  inFrame: number;
  /** sample points that pass the depth test */
  visible: number;
  /** crops taken from the view (set once the crops are chosen) */
  crops: number;
  /** one line: "view 3 (images/frame_00003.png): the scene is not in frame" */
  message: string;
}

/** Reports of every view from the visibility of every patch sample point ([view][patch][point]). */
export function viewReports(views: readonly ViewImage[], seen: PointView[][][]): ViewReport[] {
  return views.map((view, k) => {
    const points = seen[k]!.flat();
    const inFrame = points.filter((p) => p.verdict !== 'behind' && p.verdict !== 'outside').length;
    const visible = points.filter((p) => p.verdict === 'visible').length;
    const status: ViewReport['status'] =
      inFrame === 0 ? 'not in frame' : visible === 0 ? 'nothing visible' : 'ok';
    const what =
      status === 'not in frame'
        ? 'the scene is not in frame'
        : status === 'nothing visible'
          ? `nothing passes the depth test (${inFrame} scene points in frame, all hidden or grazing: is the camera inside geometry?)`
          : `${visible} of ${points.length} scene points visible`;
    return {
      name: view.name,
      index: k + 1,
      status,
      inFrame,
      visible,
      crops: 0,
      message: `view ${k + 1} (${view.name}): ${what}`,
    };
  });
}
