import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { createImage, encodePng } from '../core/image.ts';
import type { Vec3 } from '../core/vec3.ts';
import { memoryFileSource } from '../scene/fileSource.ts';
import { buildBvh } from '../tracer/bvh.ts';
import { type Camera, lookAt, parseTransforms, projectPoint } from './camera.ts';
import { loadViews } from './loadViews.ts';
import { quadMesh, roomScene } from './syntheticRoom.ts';
import { pointVisibility } from './visibility.ts';

const W = 320;
const H = 240;
const FX = 250;
const FY = 260;
const CX = 161.5;
const CY = 118.25;

/** Row-major camera-to-world matrix from the camera's right, up and backward axes (world) and centre. */
function fromAxes(right: Vec3, up: Vec3, back: Vec3, eye: Vec3): number[] {
  return [
    right[0],
    up[0],
    back[0],
    eye[0],
    right[1],
    up[1],
    back[1],
    eye[1],
    right[2],
    up[2],
    back[2],
    eye[2],
    0,
    0,
    0,
    1,
  ];
}

const cam = (camToWorld: number[]): Camera => ({
  width: W,
  height: H,
  fx: FX,
  fy: FY,
  cx: CX,
  cy: CY,
  camToWorld,
});

/**
 * A point at eye + d·forward + s·right + t·up projects (pinhole, image y downwards) to
 * x = cx + fx·s/d, y = cy − fy·t/d: the closed form the tests compare against.
 */
function expectedPixel(s: number, t: number, d: number) {
  return { x: CX + (FX * s) / d, y: CY - (FY * t) / d };
}

const along = (eye: Vec3, f: Vec3, r: Vec3, u: Vec3, d: number, s: number, t: number): Vec3 => [
  eye[0] + d * f[0] + s * r[0] + t * u[0],
  eye[1] + d * f[1] + s * r[1] + t * u[1],
  eye[2] + d * f[2] + s * r[2] + t * u[2],
];

describe('pinhole projection (OpenGL camera-to-world convention)', () => {
  const offsets: [number, number, number][] = [
    [0, 0, 3],
    [0.7, 0, 2],
    [0, 0.5, 4],
    [-1.1, -0.4, 5],
    [0.9, 0.6, 2.5],
  ];
  const poses: { name: string; eye: Vec3; f: Vec3; r: Vec3; u: Vec3 }[] = [
    // identity rotation: looks down world −z, +y up (OpenGL default)
    { name: 'identity at origin', eye: [0, 0, 0], f: [0, 0, -1], r: [1, 0, 0], u: [0, 1, 0] },
    // looking down at the floor from 2.5 m, image up = world +y
    { name: 'overhead looking down', eye: [1, -2, 2.5], f: [0, 0, -1], r: [1, 0, 0], u: [0, 1, 0] },
    // horizontal, looking along world +x with z up: right = −y
    { name: 'looking along +x, z up', eye: [-3, 1, 1.6], f: [1, 0, 0], r: [0, -1, 0], u: [0, 0, 1] },
    // horizontal, yawed 30° from +x
    {
      name: 'yawed 30°',
      eye: [0.5, 0.25, 1.2],
      f: [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6), 0],
      r: [Math.sin(Math.PI / 6), -Math.cos(Math.PI / 6), 0],
      u: [0, 0, 1],
    },
    // pitched 20° down while looking along −y
    {
      name: 'looking along −y, pitched down 20°',
      eye: [2, 3, 2],
      f: [0, -Math.cos(Math.PI / 9), -Math.sin(Math.PI / 9)],
      r: [-1, 0, 0],
      u: [0, -Math.sin(Math.PI / 9), Math.cos(Math.PI / 9)],
    },
  ];
  for (const pose of poses) {
    it(`matches the closed form within 0.5 px: ${pose.name}`, () => {
      const back: Vec3 = [-pose.f[0], -pose.f[1], -pose.f[2]];
      const c = cam(fromAxes(pose.r, pose.u, back, pose.eye));
      for (const [s, t, d] of offsets) {
        const q = projectPoint(c, along(pose.eye, pose.f, pose.r, pose.u, d, s, t));
        const e = expectedPixel(s, t, d);
        expect(q).toBeDefined();
        expect(Math.abs(q!.x - e.x)).toBeLessThan(0.5);
        expect(Math.abs(q!.y - e.y)).toBeLessThan(0.5);
        expect(q!.depth).toBeCloseTo(d, 9);
      }
    });
  }

  it('flips y: a point above the optical axis lands in the upper half of the image, right stays right', () => {
    const c = cam(fromAxes([1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]));
    const up = projectPoint(c, [0, 1, -4])!;
    const right = projectPoint(c, [1, 0, -4])!;
    expect(up.y).toBeLessThan(CY - 60);
    expect(up.x).toBeCloseTo(CX, 9);
    expect(right.x).toBeGreaterThan(CX + 60);
    expect(right.y).toBeCloseTo(CY, 9);
  });

  it('returns nothing for points behind the camera (OpenGL +z is backwards)', () => {
    const c = cam(fromAxes([1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]));
    expect(projectPoint(c, [0, 0, 3])).toBeUndefined();
    expect(projectPoint(c, [0.2, 0.1, 0])).toBeUndefined();
  });

  it('lookAt builds the same camera-to-world matrix as the explicit axes', () => {
    const eye: Vec3 = [-3, 1, 1.6];
    const m = lookAt(eye, [2, 1, 1.6]);
    const expected = fromAxes([0, -1, 0], [0, 0, 1], [-1, 0, 0], eye);
    for (let i = 0; i < 16; i++) expect(m[i]).toBeCloseTo(expected[i]!, 12);
  });

  it('projects with intrinsics parsed from transforms.json (fl_x/fl_y/cx/cy) and from camera_angle_x', () => {
    const eye: Vec3 = [-3, 1, 1.6];
    const M = fromAxes([0, -1, 0], [0, 0, 1], [-1, 0, 0], eye);
    const rows = [M.slice(0, 4), M.slice(4, 8), M.slice(8, 12), M.slice(12, 16)];
    const text = JSON.stringify({
      fl_x: FX,
      fl_y: FY,
      cx: CX,
      cy: CY,
      w: W,
      h: H,
      frames: [{ file_path: 'a.png', transform_matrix: rows }],
    });
    const [frame] = parseTransforms(text, 't.json');
    const p = along(eye, [1, 0, 0], [0, -1, 0], [0, 0, 1], 3, 0.4, -0.3);
    const q = projectPoint(frame!.camera, p)!;
    const e = expectedPixel(0.4, -0.3, 3);
    expect(Math.abs(q.x - e.x)).toBeLessThan(0.5);
    expect(Math.abs(q.y - e.y)).toBeLessThan(0.5);
    // 90° horizontal field of view: f = (w/2)/tan(45°) = w/2, principal point at the centre
    const text2 = JSON.stringify({
      camera_angle_x: Math.PI / 2,
      w: W,
      h: H,
      frames: [{ file_path: 'a.png', transform_matrix: rows }],
    });
    const [f2] = parseTransforms(text2, 't.json');
    const q2 = projectPoint(f2!.camera, p)!;
    expect(Math.abs(q2.x - (W / 2 + ((W / 2) * 0.4) / 3))).toBeLessThan(0.5);
    expect(Math.abs(q2.y - (H / 2 + ((W / 2) * 0.3) / 3))).toBeLessThan(0.5);
  });
});

describe('depth test', () => {
  // a back wall at y = 5 and a small opaque panel at y = 2 between it and the camera
  const scene = roomScene('occluder', [
    { name: 'back_wall', cls: 'brick', mesh: quadMesh([-3, 5, 0], [3, 5, 0], [3, 5, 3], [-3, 5, 3]) },
    { name: 'panel', cls: 'wood', mesh: quadMesh([-0.5, 2, 1], [0.5, 2, 1], [0.5, 2, 2], [-0.5, 2, 2]) },
  ]);
  const bvh = buildBvh(scene);
  const camera: Camera = {
    width: W,
    height: H,
    fx: 200,
    fy: 200,
    cx: W / 2,
    cy: H / 2,
    camToWorld: lookAt([0, 0, 1.5], [0, 5, 1.5]),
  };
  const wallFace = scene.faces.findIndex((f) => scene.objects[f.objectIndex]!.name === 'back_wall');
  const panelFace = scene.faces.findIndex((f) => scene.objects[f.objectIndex]!.name === 'panel');

  it('rejects a wall point hidden behind the panel and accepts the panel point in front of it', () => {
    // straight ahead of the camera: the panel covers it
    expect(pointVisibility(scene, bvh, camera, [0, 5, 1.5], wallFace).verdict).toBe('occluded');
    expect(pointVisibility(scene, bvh, camera, [0, 2, 1.5], panelFace).verdict).toBe('visible');
  });

  it('accepts a wall point the panel does not cover and reports its projection', () => {
    const v = pointVisibility(scene, bvh, camera, [2, 5, 1.5], wallFace);
    expect(v.verdict).toBe('visible');
    // closed form: depth 5, 2 m to the right → x = cx + 200·2/5
    expect(Math.abs(v.x! - (W / 2 + 80))).toBeLessThan(0.5);
    expect(Math.abs(v.y! - H / 2)).toBeLessThan(0.5);
  });

  it('rejects points behind the camera and outside the image', () => {
    const back = lookAt([0, 4, 1.5], [0, 0, 1.5]);
    expect(
      pointVisibility(scene, bvh, { ...camera, camToWorld: back }, [2.9, 5, 1.5], wallFace).verdict,
    ).toBe('behind');
    expect(
      pointVisibility(scene, bvh, { ...camera, fx: 2000, fy: 2000 }, [2.9, 5, 2.9], wallFace).verdict,
    ).toBe('outside');
  });
});

describe('transforms.json validation', () => {
  const rows = [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 2],
    [0, 0, 0, 1],
  ];
  const base = { fl_x: 40, fl_y: 40, cx: 16, cy: 12, w: 32, h: 24 };
  const png = encodePng(createImage(32, 24));
  const catchError = async (p: Promise<unknown>): Promise<InputError> => {
    try {
      await p;
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return e as InputError;
    }
    throw new Error('expected an InputError');
  };
  const files = (json: unknown, images: Record<string, Uint8Array>) =>
    memoryFileSource(
      new Map([
        ['scan/transforms.json', new TextEncoder().encode(JSON.stringify(json))],
        ...Object.entries(images).map(([k, v]) => [`scan/${k}`, v] as [string, Uint8Array]),
      ]),
    );

  it('loads a valid file with its images', async () => {
    const src = files(
      { ...base, frames: [{ file_path: 'images/f1.png', transform_matrix: rows }] },
      { 'images/f1.png': png },
    );
    const views = await loadViews(src, 'scan/transforms.json');
    expect(views).toHaveLength(1);
    expect(views[0]!.image.width).toBe(32);
  });

  it('a missing image names the file and the frame', async () => {
    const src = files(
      {
        ...base,
        frames: [
          { file_path: 'images/f1.png', transform_matrix: rows },
          { file_path: 'images/missing.png', transform_matrix: rows },
        ],
      },
      { 'images/f1.png': png },
    );
    const e = await catchError(loadViews(src, 'scan/transforms.json'));
    expect(e.file).toBe('scan/transforms.json');
    expect(e.message).toContain('images/missing.png');
    expect(e.problem).toContain('not found');
  });

  it('a bad matrix (scaled, non-finite, wrong shape, reflection) names the file and the frame', async () => {
    const bad: unknown[] = [
      [
        [2, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
      ],
      [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
      ].map((r, i) => (i === 1 ? [0, Number.NaN, 0, 0] : r)),
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      [
        [-1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
      ],
      'identity',
    ];
    for (const m of bad) {
      const src = files(
        {
          ...base,
          frames: [
            { file_path: 'images/f1.png', transform_matrix: rows },
            { file_path: 'images/f2.png', transform_matrix: m },
          ],
        },
        { 'images/f1.png': png, 'images/f2.png': png },
      );
      const e = await catchError(loadViews(src, 'scan/transforms.json'));
      expect(e.file).toBe('scan/transforms.json');
      expect(e.element).toContain('frames[1]');
      expect(e.message).toMatch(/transform_matrix/);
    }
  });

  it('an image whose size disagrees with the intrinsics names the file, the frame and both sizes', async () => {
    const src = files(
      { ...base, frames: [{ file_path: 'images/f1.png', transform_matrix: rows }] },
      { 'images/f1.png': encodePng(createImage(64, 24)) },
    );
    const e = await catchError(loadViews(src, 'scan/transforms.json'));
    expect(e.file).toBe('scan/transforms.json');
    expect(e.element).toBe('images/f1.png');
    expect(e.problem).toContain('64×24');
    expect(e.problem).toContain('w=32, h=24');
  });

  it('missing intrinsics and malformed JSON are InputErrors naming the file', async () => {
    const noSize = files(
      { fl_x: 40, frames: [{ file_path: 'images/f1.png', transform_matrix: rows }] },
      { 'images/f1.png': png },
    );
    const e1 = await catchError(loadViews(noSize, 'scan/transforms.json'));
    expect(e1.file).toBe('scan/transforms.json');
    expect(e1.element).toBe('frames[0]');
    const broken = memoryFileSource(
      new Map([['scan/transforms.json', new TextEncoder().encode('{"frames": [')]]),
    );
    const e2 = await catchError(loadViews(broken, 'scan/transforms.json'));
    expect(e2.problem).toContain('not valid JSON');
    const e3 = await catchError(loadViews(broken, 'scan/nothing.json'));
    expect(e3.problem).toContain('file not found');
  });
});
