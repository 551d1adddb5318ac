import type { NearFieldCheck } from '../../engine/channel/index.ts';
import type { Vec3 } from '../../engine/core/index.ts';
import type { LinkMetrics } from '../../engine/metrics/index.ts';
import type { InteractionType, Path, PathKind } from '../../engine/tracer/index.ts';

/**
 * A trace result as typed arrays, so that it crosses the worker boundary as transferred buffers
 * (no structured clone of thousands of path objects) and the page decodes only what it shows:
 * the drawn paths and the selected link's (pathsOfLink, cached per link).
 */
export interface CompactLink {
  txId: string;
  rxId: string;
  tx: Vec3;
  rx: Vec3;
  metrics: LinkMetrics;
  /** too short for ray optics: the link panel marks the metrics as not valid */
  nearField: NearFieldCheck;
  /** first path (in the path arrays) and path count */
  firstPath: number;
  pathCount: number;
}

export interface CompactTrace {
  links: CompactLink[];
  /** per path */
  delay: Float64Array;
  /** Re a, Im a per path */
  a: Float64Array;
  /** aod azimuth, elevation, aoa azimuth, elevation (degrees) per path */
  angles: Float32Array;
  kind: Uint8Array;
  length: Float64Array;
  /** first interaction and interaction count per path */
  firstInteraction: Uint32Array;
  interactionCount: Uint8Array;
  /** per interaction */
  interactionType: Uint8Array;
  object: Uint32Array;
  face: Uint32Array;
  point: Float64Array;
}

const KINDS: readonly PathKind[] = ['los', 'specular', 'scattered', 'diffracted'];
const TYPES: readonly InteractionType[] = ['reflection', 'transmission', 'scattering', 'diffraction'];

export function encodeTrace(
  links: readonly (Omit<CompactLink, 'firstPath' | 'pathCount'> & { paths: readonly Path[] })[],
): { trace: CompactTrace; transfer: ArrayBuffer[] } {
  const np = links.reduce((s, l) => s + l.paths.length, 0);
  let ni = 0;
  for (const l of links) for (const p of l.paths) ni += p.interactions.length;
  const t: CompactTrace = {
    links: [],
    delay: new Float64Array(np),
    a: new Float64Array(2 * np),
    angles: new Float32Array(4 * np),
    kind: new Uint8Array(np),
    length: new Float64Array(np),
    firstInteraction: new Uint32Array(np),
    interactionCount: new Uint8Array(np),
    interactionType: new Uint8Array(ni),
    object: new Uint32Array(ni),
    face: new Uint32Array(ni),
    point: new Float64Array(3 * ni),
  };
  let p = 0;
  let q = 0;
  for (const { paths, ...link } of links) {
    t.links.push({ ...link, firstPath: p, pathCount: paths.length });
    for (const path of paths) {
      t.delay[p] = path.delay;
      t.a[2 * p] = path.a.re;
      t.a[2 * p + 1] = path.a.im;
      t.angles.set(
        [path.aod.azimuthDeg, path.aod.elevationDeg, path.aoa.azimuthDeg, path.aoa.elevationDeg],
        4 * p,
      );
      t.kind[p] = KINDS.indexOf(path.kind);
      t.length[p] = path.length;
      t.firstInteraction[p] = q;
      t.interactionCount[p] = path.interactions.length;
      for (const it of path.interactions) {
        t.interactionType[q] = TYPES.indexOf(it.type);
        t.object[q] = it.objectIndex;
        t.face[q] = it.faceIndex;
        t.point.set(it.point, 3 * q);
        q++;
      }
      p++;
    }
  }
  const transfer = [
    t.delay,
    t.a,
    t.angles,
    t.kind,
    t.length,
    t.firstInteraction,
    t.interactionCount,
    t.interactionType,
    t.object,
    t.face,
    t.point,
  ].map((x) => x.buffer as ArrayBuffer);
  return { trace: t, transfer };
}

/** Path p of the compact trace as an engine Path (diffraction edges and scattering areas are not kept). */
export function decodePath(t: CompactTrace, p: number): Path {
  const first = t.firstInteraction[p]!;
  const interactions = Array.from({ length: t.interactionCount[p]! }, (_, k) => {
    const q = first + k;
    return {
      type: TYPES[t.interactionType[q]!]!,
      objectIndex: t.object[q]!,
      faceIndex: t.face[q]!,
      point: [t.point[3 * q]!, t.point[3 * q + 1]!, t.point[3 * q + 2]!] as Vec3,
    };
  });
  return {
    kind: KINDS[t.kind[p]!]!,
    interactions,
    length: t.length[p]!,
    a: { re: t.a[2 * p]!, im: t.a[2 * p + 1]! },
    delay: t.delay[p]!,
    aod: { azimuthDeg: t.angles[4 * p]!, elevationDeg: t.angles[4 * p + 1]! },
    aoa: { azimuthDeg: t.angles[4 * p + 2]!, elevationDeg: t.angles[4 * p + 3]! },
  };
}

const decoded = new WeakMap<CompactTrace, Map<number, Path[]>>();

/** The paths of link l (decoded once per trace and link). */
export function pathsOfLink(t: CompactTrace, l: number): Path[] {
  let cache = decoded.get(t);
  if (!cache) {
    cache = new Map();
    decoded.set(t, cache);
  }
  let paths = cache.get(l);
  if (!paths) {
    const link = t.links[l]!;
    paths = Array.from({ length: link.pathCount }, (_, k) => decodePath(t, link.firstPath + k));
    cache.set(l, paths);
  }
  return paths;
}

/** Gain (dB) of path p without decoding it. */
export function pathGainDbAt(t: CompactTrace, p: number): number {
  const re = t.a[2 * p]!;
  const im = t.a[2 * p + 1]!;
  return 10 * Math.log10(re * re + im * im);
}
