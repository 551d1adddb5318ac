import { norm3 } from '../../core/norm.ts';
import type { Vec3 } from '../../core/vec3.ts';
import type { Interaction, PathGeometry } from '../path.ts';
import { type HitRecords, REFLECTION } from './candidates.ts';
import { segmentOccluded } from './rayCast.ts';
import { planeDistance, type TracerGeometry } from './tracerGeometry.ts';

/**
 * Diffusely scattered paths, scattering at the last interaction: every hit of a shot ray whose
 * face may scatter is a scattering point standing for the ray-tube footprint `area`
 * (r²·4π/N / |cos θi|, r the unfolded length). Its ancestors (the ray's earlier hits) are the
 * specular prefix, exact because a shot ray obeys the reflection law. The point connects to a
 * receiver when the receiver is strictly on the side the ray arrived from (scattering into the
 * incidence half-space) and the segment point → receiver is unobstructed.
 */
export function scatteredPaths(
  g: TracerGeometry,
  records: HitRecords,
  rx: Vec3,
  scatterFace: Uint8Array,
  maxDepth: number,
  tol: number,
  occlusionEps: number,
  out: PathGeometry[],
): void {
  for (let r = 0; r < records.size; r++) {
    const p = scatteredPathAt(g, records, r, rx, scatterFace, maxDepth, tol, occlusionEps);
    if (p) out.push(p);
  }
}

/** The scattered path of record r to the receiver, or null (one record of scatteredPaths). */
export function scatteredPathAt(
  g: TracerGeometry,
  records: HitRecords,
  r: number,
  rx: Vec3,
  scatterFace: Uint8Array,
  maxDepth: number,
  tol: number,
  occlusionEps: number,
): PathGeometry | null {
  const pts = records.points;
  const f = records.face[r]!;
  if (scatterFace[f] === 0 || records.depth[r]! > maxDepth) return null;
  const px = pts[3 * r]!,
    py = pts[3 * r + 1]!,
    pz = pts[3 * r + 2]!;
  const side = planeDistance(g, f, rx[0], rx[1], rx[2]);
  if (side * records.side[r]! <= tol) return null;
  if (segmentOccluded(g, px, py, pz, rx[0], rx[1], rx[2], f, -1, occlusionEps)) return null;
  return scatteredPath(g, records, r, rx);
}

function scatteredPath(g: TracerGeometry, records: HitRecords, r: number, rx: Vec3): PathGeometry {
  const pts = records.points;
  const chain: Interaction[] = [];
  const f = records.face[r]!;
  chain.push({
    type: 'scattering',
    objectIndex: g.faceObject[f]!,
    faceIndex: f,
    point: [pts[3 * r]!, pts[3 * r + 1]!, pts[3 * r + 2]!],
    area: records.area[r]!,
  });
  for (let c = r, p = records.parent[r]!; p >= 0; c = p, p = records.parent[p]!) {
    const pf = records.face[p]!;
    chain.push({
      type: records.via[c] === REFLECTION ? 'reflection' : 'transmission',
      objectIndex: g.faceObject[pf]!,
      faceIndex: pf,
      point: [pts[3 * p]!, pts[3 * p + 1]!, pts[3 * p + 2]!],
    });
  }
  chain.reverse();
  const last = chain[chain.length - 1]!.point;
  const length = records.length[r]! + norm3(rx[0] - last[0], rx[1] - last[1], rx[2] - last[2]);
  return { kind: 'scattered', interactions: chain, length };
}
