import { InputError, parseJsonText } from '../core/errors.ts';
import { checkLimit, DEFAULT_LIMITS, type InputLimits } from '../core/limits.ts';
import type { Vec3 } from '../core/vec3.ts';

/**
 * A pinhole camera in Nerfstudio's convention:
 * - `camToWorld` is the 4×4 camera-to-world matrix, row-major (as `transform_matrix` in
 *   transforms.json), in the OpenGL camera convention: the camera looks down its −z axis,
 *   +y is up and +x is right in the image.
 * - Pixel coordinates are continuous: x to the right, y downwards, pixel (i, j) covers
 *   [i, i+1) × [j, j+1), so its centre is (i + 0.5, j + 0.5); (cx, cy) is the principal point
 *   in the same coordinates.
 * - Optional OpenCV distortion (k1, k2, k3, k4 radial, p1, p2 tangential) is applied in projection.
 */
export interface Camera {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  camToWorld: number[];
  distortion?: { k1: number; k2: number; k3: number; k4: number; p1: number; p2: number };
}

export interface Projection {
  /** continuous pixel coordinates */
  x: number;
  y: number;
  /** distance in front of the camera along its viewing axis (metres; > 0 in front) */
  depth: number;
}

export const cameraCentre = (c: Camera): Vec3 => [c.camToWorld[3]!, c.camToWorld[7]!, c.camToWorld[11]!];

/** World point → camera frame (OpenGL: −z forward). */
export function worldToCamera(c: Camera, p: Vec3): Vec3 {
  const m = c.camToWorld;
  const d: Vec3 = [p[0] - m[3]!, p[1] - m[7]!, p[2] - m[11]!];
  // inverse of a rotation is its transpose: columns of R are the camera axes in the world
  return [
    m[0]! * d[0] + m[4]! * d[1] + m[8]! * d[2],
    m[1]! * d[0] + m[5]! * d[1] + m[9]! * d[2],
    m[2]! * d[0] + m[6]! * d[1] + m[10]! * d[2],
  ];
}

/** Project a world point; undefined when it is behind the camera (or on its plane). */
export function projectPoint(c: Camera, p: Vec3): Projection | undefined {
  const [X, Y, Z] = worldToCamera(c, p);
  const depth = -Z;
  if (!(depth > 1e-9)) return undefined;
  let xn = X / depth;
  // OpenGL +y up → image y down: the flip happens here
  let yn = -Y / depth;
  const k = c.distortion;
  if (k) {
    const r2 = xn * xn + yn * yn;
    const radial = 1 + r2 * (k.k1 + r2 * (k.k2 + r2 * (k.k3 + r2 * k.k4)));
    const dx = 2 * k.p1 * xn * yn + k.p2 * (r2 + 2 * xn * xn);
    const dy = k.p1 * (r2 + 2 * yn * yn) + 2 * k.p2 * xn * yn;
    xn = xn * radial + dx;
    yn = yn * radial + dy;
  }
  return { x: c.cx + c.fx * xn, y: c.cy + c.fy * yn, depth };
}

export const insideImage = (c: Camera, q: { x: number; y: number }, margin = 0): boolean =>
  q.x >= margin && q.y >= margin && q.x <= c.width - margin && q.y <= c.height - margin;

/** Unit world-space direction of the ray through continuous pixel (x, y) (undistorted cameras). */
export function pixelRay(c: Camera, x: number, y: number): Vec3 {
  const xc = (x - c.cx) / c.fx;
  const yc = -(y - c.cy) / c.fy;
  const m = c.camToWorld;
  const d: Vec3 = [
    m[0]! * xc + m[1]! * yc - m[2]!,
    m[4]! * xc + m[5]! * yc - m[6]!,
    m[8]! * xc + m[9]! * yc - m[10]!,
  ];
  const n = Math.hypot(d[0], d[1], d[2]);
  return [d[0] / n, d[1] / n, d[2] / n];
}

/**
 * Camera-to-world matrix (row-major, OpenGL convention) of a camera at `eye` looking at
 * `target` with `up` roughly up. Used by the renderers and tests.
 */
export function lookAt(eye: Vec3, target: Vec3, up: Vec3 = [0, 0, 1]): number[] {
  const f: Vec3 = [target[0] - eye[0], target[1] - eye[1], target[2] - eye[2]];
  const fn = Math.hypot(...f);
  const fw: Vec3 = [f[0] / fn, f[1] / fn, f[2] / fn];
  let r: Vec3 = [fw[1] * up[2] - fw[2] * up[1], fw[2] * up[0] - fw[0] * up[2], fw[0] * up[1] - fw[1] * up[0]];
  const rn = Math.hypot(...r);
  if (rn < 1e-9) throw new Error('lookAt: view direction is parallel to up');
  r = [r[0] / rn, r[1] / rn, r[2] / rn];
  const u: Vec3 = [r[1] * fw[2] - r[2] * fw[1], r[2] * fw[0] - r[0] * fw[2], r[0] * fw[1] - r[1] * fw[0]];
  // columns: +x = right, +y = up, +z = −forward
  return [r[0], u[0], -fw[0], eye[0], r[1], u[1], -fw[1], eye[1], r[2], u[2], -fw[2], eye[2], 0, 0, 0, 1];
}

/**
 * Check that a 4×4 row-major matrix is a rigid camera-to-world transform: finite numbers,
 * last row (0, 0, 0, 1), orthonormal right-handed rotation. Returns a problem or undefined.
 */
export function rigidTransformProblem(m: unknown): string | undefined {
  if (!Array.isArray(m)) return 'transform_matrix must be a 4×4 array of numbers';
  const rows = m as unknown[];
  if (rows.length !== 4 && rows.length !== 3) return `transform_matrix must have 4 rows, got ${rows.length}`;
  const flat: number[] = [];
  for (const [i, row] of rows.entries()) {
    if (!Array.isArray(row) || row.length !== 4) return `transform_matrix row ${i} must have 4 numbers`;
    for (const v of row) {
      if (typeof v !== 'number' || !Number.isFinite(v))
        return `transform_matrix row ${i} has a non-finite entry ${JSON.stringify(v)}`;
      flat.push(v);
    }
  }
  if (rows.length === 4) {
    const last = flat.slice(12);
    if (
      Math.abs(last[0]!) > 1e-6 ||
      Math.abs(last[1]!) > 1e-6 ||
      Math.abs(last[2]!) > 1e-6 ||
      Math.abs(last[3]! - 1) > 1e-6
    ) {
      return `transform_matrix last row must be [0, 0, 0, 1], got [${last.join(', ')}]`;
    }
  }
  const col = (j: number): Vec3 => [flat[j]!, flat[4 + j]!, flat[8 + j]!];
  const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const cols = [col(0), col(1), col(2)];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const d = dot(cols[i]!, cols[j]!) - (i === j ? 1 : 0);
      if (Math.abs(d) > 1e-3)
        return 'transform_matrix rotation part is not orthonormal (scaled or sheared camera pose)';
    }
  }
  const [a, b, c] = cols as [Vec3, Vec3, Vec3];
  const det =
    a[0] * (b[1] * c[2] - b[2] * c[1]) -
    a[1] * (b[0] * c[2] - b[2] * c[0]) +
    a[2] * (b[0] * c[1] - b[1] * c[0]);
  if (det < 0) return 'transform_matrix rotation is a reflection (determinant −1)';
  return undefined;
}

/** One posed image of transforms.json. */
export interface Frame {
  /** as written in transforms.json */
  filePath: string;
  camera: Camera;
}

const INTRINSIC_KEYS = ['fl_x', 'fl_y', 'cx', 'cy', 'w', 'h'] as const;

/**
 * Parse Nerfstudio's transforms.json (also instant-ngp's `camera_angle_x` form). Intrinsics may
 * be global or per frame; per-frame values win. `file` names the file in errors.
 */
export function parseTransforms(text: string, file: string, limits: InputLimits = DEFAULT_LIMITS): Frame[] {
  const json = parseJsonText(text, file) as Record<string, unknown>;
  if (!json || typeof json !== 'object' || Array.isArray(json) || !Array.isArray(json.frames)) {
    throw new InputError(
      file,
      'frames',
      'expected an object with a "frames" array (Nerfstudio transforms.json)',
    );
  }
  checkLimit(limits, 'frames', json.frames.length, file, 'frames', `has ${json.frames.length} frames`);
  const model = (json.camera_model as string | undefined) ?? 'OPENCV';
  if (typeof model !== 'string' || !['OPENCV', 'PINHOLE', 'SIMPLE_PINHOLE'].includes(model)) {
    throw new InputError(
      file,
      'camera_model',
      `unsupported camera model '${String(model)}' (expected OPENCV or PINHOLE)`,
    );
  }
  if (json.frames.length === 0) throw new InputError(file, 'frames', 'no frames');
  return (json.frames as Record<string, unknown>[]).map((frame, i) => {
    const where = `frames[${i}]`;
    if (!frame || typeof frame !== 'object') throw new InputError(file, where, 'expected an object');
    const get = (key: string): unknown => (frame[key] !== undefined ? frame[key] : json[key]);
    const num = (key: string): number | undefined => {
      const v = get(key);
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new InputError(file, `${where}.${key}`, `expected a finite number, got ${JSON.stringify(v)}`);
      return v;
    };
    const w = num('w');
    const h = num('h');
    if (
      w === undefined ||
      h === undefined ||
      !(w > 0) ||
      !(h > 0) ||
      !Number.isInteger(w) ||
      !Number.isInteger(h)
    ) {
      throw new InputError(
        file,
        where,
        'image size w and h (positive integers) are required, globally or per frame',
      );
    }
    let fx = num('fl_x');
    let fy = num('fl_y');
    const angleX = num('camera_angle_x');
    const angleY = num('camera_angle_y');
    if (fx === undefined && angleX !== undefined) fx = (0.5 * w) / Math.tan(angleX / 2);
    if (fy === undefined && angleY !== undefined) fy = (0.5 * h) / Math.tan(angleY / 2);
    if (fy === undefined) fy = fx;
    if (fx === undefined) fx = fy;
    for (const [key, angle] of [
      ['camera_angle_x', angleX],
      ['camera_angle_y', angleY],
    ] as const)
      if (angle !== undefined && !(angle > 0 && angle < Math.PI))
        throw new InputError(file, `${where}.${key}`, `${angle} rad is not a field of view in (0, π)`);
    if (
      fx === undefined ||
      fy === undefined ||
      !(fx > 0 && Number.isFinite(fx)) ||
      !(fy > 0 && Number.isFinite(fy))
    ) {
      throw new InputError(
        file,
        where,
        `focal length missing or not positive (need ${INTRINSIC_KEYS.slice(0, 2).join('/')} or camera_angle_x)`,
      );
    }
    const cx = num('cx') ?? w / 2;
    const cy = num('cy') ?? h / 2;
    const filePath = get('file_path');
    if (typeof filePath !== 'string' || filePath === '')
      throw new InputError(file, `${where}.file_path`, 'expected the image path (string)');
    const problem = rigidTransformProblem(frame.transform_matrix);
    if (problem) throw new InputError(file, `${where} (${filePath})`, problem);
    const rows = frame.transform_matrix as number[][];
    const camToWorld = [...rows.flat(), ...(rows.length === 3 ? [0, 0, 0, 1] : [])];
    const k = {
      k1: num('k1') ?? 0,
      k2: num('k2') ?? 0,
      k3: num('k3') ?? 0,
      k4: num('k4') ?? 0,
      p1: num('p1') ?? 0,
      p2: num('p2') ?? 0,
    };
    const distorted = Object.values(k).some((v) => v !== 0);
    const camera: Camera = {
      width: w,
      height: h,
      fx,
      fy,
      cx,
      cy,
      camToWorld,
      ...(distorted ? { distortion: k } : {}),
    };
    return { filePath, camera };
  });
}

/** Check a decoded image against its frame's intrinsics. */
export function checkImageSize(frame: Frame, width: number, height: number, file: string): void {
  if (width !== frame.camera.width || height !== frame.camera.height) {
    throw new InputError(
      file,
      frame.filePath,
      `image is ${width}×${height} but transforms.json says w=${frame.camera.width}, h=${frame.camera.height}`,
    );
  }
}

/**
 * transforms.json text for posed images (the inverse of parseTransforms): Nerfstudio's OPENCV
 * camera model without distortion, intrinsics once at the top (all frames share them here),
 * `transform_matrix` camera-to-world in the OpenGL convention, poses in the scene's own metres
 * (z up, no applied_transform).
 */
export function transformsJson(frames: readonly Frame[]): string {
  const c0 = frames[0]?.camera;
  if (!c0) throw new Error('transformsJson: no frames');
  for (const f of frames) {
    const c = f.camera;
    if (
      c.width !== c0.width ||
      c.height !== c0.height ||
      c.fx !== c0.fx ||
      c.fy !== c0.fy ||
      c.cx !== c0.cx ||
      c.cy !== c0.cy
    )
      throw new Error(`transformsJson: ${f.filePath} has other intrinsics than ${frames[0]!.filePath}`);
  }
  const rows = (m: readonly number[]) => {
    const r = m.map((x) => Number(x.toFixed(9)));
    return [r.slice(0, 4), r.slice(4, 8), r.slice(8, 12), r.slice(12, 16)];
  };
  const json = {
    camera_model: 'OPENCV',
    fl_x: c0.fx,
    fl_y: c0.fy,
    cx: c0.cx,
    cy: c0.cy,
    w: c0.width,
    h: c0.height,
    k1: 0,
    k2: 0,
    p1: 0,
    p2: 0,
    frames: frames.map((f) => ({ file_path: f.filePath, transform_matrix: rows(f.camera.camToWorld) })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
