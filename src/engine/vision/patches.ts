import type { Vec3 } from '../core/vec3.ts';
import type { Scene } from '../scene/types.ts';
import { surfaceAxes } from './rayRender.ts';

/**
 * A piece of one face that gets its own material estimate: large faces (a 10 m wall) are split
 * into cells so that one wall can carry a window and plaster, small faces are one patch.
 */
export interface SurfacePatch {
  /** "<object>/face<k>/patch<i>" */
  id: string;
  objectIndex: number;
  faceId: number;
  /** m² of the face inside this patch (estimated on a 16×16 grid) */
  area: number;
  normal: Vec3;
  centre: Vec3;
  /** sample points on the face, away from its boundary */
  points: Vec3[];
}

export interface PatchOptions {
  /** largest patch side (m), default 2.5 */
  maxPatchSize?: number;
  /** sample points per patch, default 9 */
  pointsPerPatch?: number;
  /** keep sample points this far inside the face boundary (m), default 0.08 */
  inset?: number;
}

type P2 = [number, number];

function insideTriangle2(p: P2, a: P2, b: P2, c: P2): boolean {
  const s = (q: P2, r: P2) => (r[0] - q[0]) * (p[1] - q[1]) - (r[1] - q[1]) * (p[0] - q[0]);
  const d1 = s(a, b);
  const d2 = s(b, c);
  const d3 = s(c, a);
  const neg = d1 < -1e-12 || d2 < -1e-12 || d3 < -1e-12;
  const pos = d1 > 1e-12 || d2 > 1e-12 || d3 > 1e-12;
  return !(neg && pos);
}

/** Split every face of the scene into patches with sample points. */
export function surfacePatches(scene: Scene, options: PatchOptions = {}): SurfacePatch[] {
  const maxSize = options.maxPatchSize ?? 2.5;
  const perPatch = options.pointsPerPatch ?? 9;
  const inset = options.inset ?? 0.08;
  const out: SurfacePatch[] = [];
  const p = scene.positions;
  for (const face of scene.faces) {
    const { u, v } = surfaceAxes(face.normal);
    const n = face.normal;
    const tris: [P2, P2, P2][] = face.triangles.map((t) => {
      const vert = (k: number): P2 => {
        const x: Vec3 = [p[9 * t + 3 * k]!, p[9 * t + 3 * k + 1]!, p[9 * t + 3 * k + 2]!];
        return [x[0] * u[0] + x[1] * u[1] + x[2] * u[2], x[0] * v[0] + x[1] * v[1] + x[2] * v[2]];
      };
      return [vert(0), vert(1), vert(2)];
    });
    const inFace = (q: P2) => tris.some(([a, b, c]) => insideTriangle2(q, a, b, c));
    const inFaceInset = (q: P2, d: number) =>
      inFace(q) &&
      inFace([q[0] + d, q[1]]) &&
      inFace([q[0] - d, q[1]]) &&
      inFace([q[0], q[1] + d]) &&
      inFace([q[0], q[1] - d]);
    let umin = Infinity;
    let umax = -Infinity;
    let vmin = Infinity;
    let vmax = -Infinity;
    for (const tri of tris) {
      for (const q of tri) {
        umin = Math.min(umin, q[0]);
        umax = Math.max(umax, q[0]);
        vmin = Math.min(vmin, q[1]);
        vmax = Math.max(vmax, q[1]);
      }
    }
    const nu = Math.max(1, Math.ceil((umax - umin) / maxSize - 1e-9));
    const nv = Math.max(1, Math.ceil((vmax - vmin) / maxSize - 1e-9));
    const du = (umax - umin) / nu;
    const dv = (vmax - vmin) / nv;
    const lift = (q: P2): Vec3 => [
      q[0] * u[0] + q[1] * v[0] + face.offset * n[0],
      q[0] * u[1] + q[1] * v[1] + face.offset * n[1],
      q[0] * u[2] + q[1] * v[2] + face.offset * n[2],
    ];
    const objectName = scene.objects[face.objectIndex]?.name ?? `object${face.objectIndex}`;
    const faceOrdinal = scene.objects[face.objectIndex]?.faceIds.indexOf(face.id) ?? face.id;
    let index = 0;
    for (let j = 0; j < nv; j++) {
      for (let i = 0; i < nu; i++) {
        const u0 = umin + i * du;
        const v0 = vmin + j * dv;
        let inside = 0;
        for (let a = 0; a < 16; a++)
          for (let b = 0; b < 16; b++)
            if (inFace([u0 + ((a + 0.5) / 16) * du, v0 + ((b + 0.5) / 16) * dv])) inside++;
        if (inside === 0) continue;
        const area = (inside / 256) * du * dv;
        // stratified points: centres of a g×g sub-grid, keeping those well inside the face
        const g = Math.max(1, Math.ceil(Math.sqrt(perPatch)));
        const pts: P2[] = [];
        const d = Math.min(inset, 0.2 * Math.min(du, dv));
        for (let b = 0; b < g; b++) {
          for (let a = 0; a < g; a++) {
            const q: P2 = [u0 + ((a + 0.5) / g) * du, v0 + ((b + 0.5) / g) * dv];
            if (inFaceInset(q, d)) pts.push(q);
          }
        }
        if (pts.length === 0) continue;
        const c2 = pts.reduce<P2>((s, q) => [s[0] + q[0] / pts.length, s[1] + q[1] / pts.length], [0, 0]);
        out.push({
          id: `${objectName}/face${faceOrdinal}/patch${index++}`,
          objectIndex: face.objectIndex,
          faceId: face.id,
          area,
          normal: n,
          centre: lift(c2),
          points: pts.slice(0, perPatch).map(lift),
        });
      }
    }
  }
  return out;
}
