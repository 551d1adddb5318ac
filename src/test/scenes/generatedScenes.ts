import { seededRandom } from '../../engine/core/random.ts';
import type { Vec3 } from '../../engine/core/vec3.ts';
import { materialFromLabel, type SceneMaterial } from '../../engine/materials/radioMaterial.ts';
import { buildScene } from '../../engine/scene/buildScene.ts';
import type { MeshInput, Scene } from '../../engine/scene/types.ts';

/**
 * Seeded scenes for the path-search fidelity tests and benchmark (issue 18): boxes in a room,
 * a street canyon with cars, and a city block of ~10 000 triangles. Built in code (no files),
 * deterministic for a seed, with slanted and rotated faces so that no test depends on
 * axis-aligned geometry. Each scene comes with a sampler of links whose ends lie in free space
 * (outside every solid, away from every surface).
 *
 * No solid rests on another surface with a face of its own (buildings and furniture on the floor
 * are open at the bottom, cars stand on wheels 0.15 m above the road): coincident surfaces are a
 * separate rule of the scene loader.
 */
export interface GeneratedScene {
  scene: Scene;
  /** `count` links (Tx, Rx) in free space, deterministic for `seed` */
  links(count: number, seed: number): { tx: Vec3; rx: Vec3 }[];
}

type Xy = [number, number];

/** Twice the signed area of a polygon (counter-clockwise > 0). */
function signedArea2(poly: readonly Xy[]): number {
  let a = 0;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    a += p[0] * q[1] - q[0] * p[1];
  }
  return a;
}

/** Ear clipping of a simple counter-clockwise polygon: index triples. */
export function triangulatePolygon(poly: readonly Xy[]): number[] {
  const idx = poly.map((_, i) => i);
  const out: number[] = [];
  const cross = (o: Xy, a: Xy, b: Xy) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const inTri = (p: Xy, a: Xy, b: Xy, c: Xy) =>
    cross(a, b, p) >= 0 && cross(b, c, p) >= 0 && cross(c, a, p) >= 0;
  let guard = 0;
  while (idx.length > 3 && guard++ < 10_000) {
    for (let k = 0; k < idx.length; k++) {
      const i0 = idx[(k + idx.length - 1) % idx.length]!;
      const i1 = idx[k]!;
      const i2 = idx[(k + 1) % idx.length]!;
      const a = poly[i0]!,
        b = poly[i1]!,
        c = poly[i2]!;
      if (cross(a, b, c) <= 0) continue; // reflex vertex
      if (idx.some((j) => j !== i0 && j !== i1 && j !== i2 && inTri(poly[j]!, a, b, c))) continue;
      out.push(i0, i1, i2);
      idx.splice(k, 1);
      break;
    }
  }
  out.push(idx[0]!, idx[1]!, idx[2]!);
  return out;
}

/**
 * A vertical prism over a counter-clockwise footprint, z0 → z1, outward winding. Walls are split
 * into a grid of about `cell` metres (coplanar triangles: still one face each, as a tessellated
 * facade of a real city mesh); top and bottom optional.
 */
function prism(
  name: string,
  materialId: string,
  footprint: readonly Xy[],
  z0: number,
  z1: number,
  opts: { top?: boolean; bottom?: boolean; cell?: number } = {},
): MeshInput {
  const v: number[] = [];
  const ix: number[] = [];
  const n = footprint.length;
  const cell = opts.cell ?? Infinity;
  for (let i = 0; i < n; i++) {
    const a = footprint[i]!;
    const b = footprint[(i + 1) % n]!;
    const nu = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / cell));
    const nv = Math.max(1, Math.ceil((z1 - z0) / cell));
    const base = v.length / 3;
    for (let j = 0; j <= nv; j++) {
      for (let k = 0; k <= nu; k++) {
        const s = k / nu;
        v.push(a[0] + s * (b[0] - a[0]), a[1] + s * (b[1] - a[1]), z0 + ((z1 - z0) * j) / nv);
      }
    }
    for (let j = 0; j < nv; j++) {
      for (let k = 0; k < nu; k++) {
        const p = base + j * (nu + 1) + k;
        const q = p + nu + 1;
        // outward for a counter-clockwise footprint: (a→b) × up points out
        ix.push(p, p + 1, q + 1, p, q + 1, q);
      }
    }
  }
  const tri = triangulatePolygon(footprint);
  for (const [on, z, flip] of [
    [opts.top ?? true, z1, false],
    [opts.bottom ?? false, z0, true],
  ] as const) {
    if (!on) continue;
    const base = v.length / 3;
    for (const p of footprint) v.push(p[0], p[1], z);
    for (let t = 0; t < tri.length; t += 3) {
      if (flip) ix.push(base + tri[t]!, base + tri[t + 2]!, base + tri[t + 1]!);
      else ix.push(base + tri[t]!, base + tri[t + 1]!, base + tri[t + 2]!);
    }
  }
  return { name, materialId, vertices: v, indices: ix, file: `<${name}>` };
}

/** A horizontal rectangle split into a grid of `cell` metres (one face). */
function ground(
  name: string,
  materialId: string,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  cell: number,
) {
  const nu = Math.max(1, Math.ceil((x1 - x0) / cell));
  const nv = Math.max(1, Math.ceil((y1 - y0) / cell));
  const v: number[] = [];
  const ix: number[] = [];
  for (let j = 0; j <= nv; j++)
    for (let k = 0; k <= nu; k++) v.push(x0 + ((x1 - x0) * k) / nu, y0 + ((y1 - y0) * j) / nv, 0);
  for (let j = 0; j < nv; j++) {
    for (let k = 0; k < nu; k++) {
      const p = j * (nu + 1) + k;
      ix.push(p, p + 1, p + nu + 2, p, p + nu + 2, p + nu + 1);
    }
  }
  return { name, materialId, vertices: v, indices: ix, file: `<${name}>` };
}

/**
 * A car: a convex side profile (length 4.4 m, roof 1.45 m, 0.15 m above the road) extruded over
 * 1.8 m, turned by `heading` about z, centred at (x, y). 10 faces (hood, windscreen, roof, rear
 * window and trunk are slanted), closed.
 */
function car(name: string, x: number, y: number, heading: number): MeshInput {
  const profile: Xy[] = [
    [-2.2, 0.15],
    [2.2, 0.15],
    [2.2, 0.75],
    [1.5, 0.92],
    [0.7, 1.45],
    [-0.9, 1.45],
    [-1.6, 0.97],
    [-2.2, 0.82],
  ];
  const c = Math.cos(heading);
  const s = Math.sin(heading);
  const at = (u: number, w: number, z: number): number[] => [x + c * u - s * w, y + s * u + c * w, z];
  const v: number[] = [];
  const ix: number[] = [];
  const n = profile.length;
  // sides: the profile at w = −0.9 (outward −w) and w = +0.9 (outward +w)
  for (const w of [-0.9, 0.9]) {
    const base = v.length / 3;
    for (const [u, z] of profile) v.push(...at(u, w, z));
    for (let k = 1; k + 1 < n; k++) {
      // the profile is counter-clockwise in (u, z); seen from −w that is clockwise
      if (w < 0) ix.push(base, base + k, base + k + 1);
      else ix.push(base, base + k + 1, base + k);
    }
  }
  for (let k = 0; k < n; k++) {
    const a = k;
    const b = (k + 1) % n;
    // quad between the two sides along profile edge a → b, outward
    ix.push(a, b, n + b, a, n + b, n + a);
  }
  return { name, materialId: 'itu_metal', vertices: v, indices: ix, file: `<${name}>` };
}

function sceneOf(name: string, meshes: MeshInput[]): Scene {
  const materials: Record<string, SceneMaterial> = {};
  for (const m of meshes) materials[m.materialId] ??= materialFromLabel(m.materialId);
  return buildScene(name, meshes, materials);
}

/** A footprint (xy polygon) with its vertical extent, for free-space tests. */
interface Solid {
  poly: Xy[];
  z0: number;
  z1: number;
}

function insidePolygon(p: Xy, poly: readonly Xy[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!,
      b = poly[j]!;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0])
      inside = !inside;
  }
  return inside;
}

function distanceToPolygon(p: Xy, poly: readonly Xy[]): number {
  let d = Infinity;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!,
      b = poly[(i + 1) % poly.length]!;
    const ex = b[0] - a[0],
      ey = b[1] - a[1];
    const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * ex + (p[1] - a[1]) * ey) / (ex * ex + ey * ey)));
    d = Math.min(d, Math.hypot(p[0] - a[0] - t * ex, p[1] - a[1] - t * ey));
  }
  return d;
}

/** Whether a point is at least `clear` metres outside every solid. */
function free(p: Vec3, solids: readonly Solid[], clear: number): boolean {
  for (const s of solids) {
    if (p[2] < s.z0 - clear || p[2] > s.z1 + clear) continue;
    if (insidePolygon([p[0], p[1]], s.poly) || distanceToPolygon([p[0], p[1]], s.poly) < clear) return false;
  }
  return true;
}

function rect(x0: number, y0: number, x1: number, y1: number): Xy[] {
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
}

/** Rectangle w × d centred at (x, y), turned by `angle`. */
function turnedRect(x: number, y: number, w: number, d: number, angle: number): Xy[] {
  const c = Math.cos(angle),
    s = Math.sin(angle);
  return rect(-w / 2, -d / 2, w / 2, d / 2).map(([u, v]) => [x + c * u - s * v, y + s * u + c * v]);
}

function carFootprint(x: number, y: number, heading: number): Solid {
  return { poly: turnedRect(x, y, 4.4, 1.8, heading), z0: 0, z1: 1.45 };
}

/** Links with both ends drawn by `draw` until they are in free space. */
function sampleLinks(
  count: number,
  seed: number,
  draw: (r: () => number) => Vec3,
  drawTx: (r: () => number) => Vec3,
  solids: readonly Solid[],
  clear: number,
): { tx: Vec3; rx: Vec3 }[] {
  const r = seededRandom(seed);
  const pick = (f: (r: () => number) => Vec3): Vec3 => {
    for (;;) {
      const p = f(r);
      if (free(p, solids, clear)) return p;
    }
  };
  const out: { tx: Vec3; rx: Vec3 }[] = [];
  while (out.length < count) out.push({ tx: pick(drawTx), rx: pick(draw) });
  return out;
}

/**
 * A 12 × 9 × 3.2 m room (concrete walls, floor, ceiling) with 10 pieces of furniture: cuboids
 * turned about z, some standing on the floor (open at the bottom), some raised (closed), wood
 * and metal; ~66 faces.
 */
export function boxesInRoom(seed = 1): GeneratedScene {
  const r = seededRandom(seed);
  const meshes: MeshInput[] = [prism('room', 'itu_concrete', rect(0, 0, 12, 9), 0, 3.2, { bottom: true })];
  const solids: Solid[] = [];
  for (let i = 0; i < 10; i++) {
    for (let attempt = 0; attempt < 100; attempt++) {
      const w = 0.6 + 1.6 * r();
      const d = 0.4 + 1.0 * r();
      const x = 1.2 + 9.6 * r();
      const y = 1.2 + 6.6 * r();
      const angle = r() < 0.5 ? 0 : r() * Math.PI;
      const poly = turnedRect(x, y, w, d, angle);
      if (!poly.every(([u, v]) => u > 0.3 && u < 11.7 && v > 0.3 && v < 8.7)) continue;
      if (
        solids.some((s) => poly.some((p) => insidePolygon(p, s.poly) || distanceToPolygon(p, s.poly) < 0.3))
      )
        continue;
      if (solids.some((s) => s.poly.some((p) => insidePolygon(p, poly)))) continue;
      const raised = r() < 0.4;
      const z0 = raised ? 0.3 + 0.5 * r() : 0;
      const z1 = z0 + 0.5 + 1.5 * r();
      meshes.push(
        prism(`furniture_${i}`, r() < 0.3 ? 'itu_metal' : 'itu_wood', poly, z0, z1, { bottom: raised }),
      );
      solids.push({ poly, z0, z1 });
      break;
    }
  }
  const scene = sceneOf('boxes_in_room', meshes);
  const inRoom = (rr: () => number): Vec3 => [0.3 + 11.4 * rr(), 0.3 + 8.4 * rr(), 0.3 + 2.6 * rr()];
  return { scene, links: (count, s) => sampleLinks(count, s, inRoom, inRoom, solids, 0.1) };
}

/**
 * A street canyon along x: a 20 m street, two rows of buildings (10–45 m tall, open at the
 * bottom, concrete, brick or glass, some turned by a few degrees), side streets between some,
 * and 24 cars (metal, 10 faces each) parked and driving, headings jittered by ±4°.
 */
export function canyonWithCars(seed = 2): GeneratedScene {
  const r = seededRandom(seed);
  const meshes: MeshInput[] = [ground('road', 'itu_medium_dry_ground', -110, -60, 110, 60, Infinity)];
  const solids: Solid[] = [];
  const walls = ['itu_concrete', 'itu_brick', 'itu_glass'];
  let id = 0;
  for (const side of [-1, 1]) {
    let x = -100;
    while (x < 90) {
      const w = 12 + 22 * r();
      const d = 15 + 15 * r();
      const h = 10 + 35 * r();
      const front = 10 + 1.5 * r();
      const tilt = (r() - 0.5) * 0.12;
      const cx = x + w / 2;
      const cy = side * (front + d / 2);
      const poly = turnedRect(cx, cy, w, d, tilt);
      meshes.push(prism(`building_${id++}`, walls[Math.floor(r() * 3)]!, poly, 0, h, { bottom: false }));
      solids.push({ poly, z0: 0, z1: h });
      x += w + (r() < 0.3 ? 8 + 6 * r() : 1 + r());
    }
  }
  for (let i = 0; i < 24; i++) {
    for (let attempt = 0; attempt < 100; attempt++) {
      const lane = [-7.5, -3.5, 3.5, 7.5][Math.floor(r() * 4)]!;
      const x = -95 + 190 * r();
      const heading = (lane < 0 ? 0 : Math.PI) + (r() - 0.5) * 0.14;
      const fp = carFootprint(x, lane, heading);
      if (
        solids.some(
          (s) =>
            s.z0 === 0 &&
            s.z1 < 2 &&
            fp.poly.some((p) => distanceToPolygon(p, s.poly) < 0.8 || insidePolygon(p, s.poly)),
        )
      )
        continue;
      meshes.push(car(`car_${i}`, x, lane, heading));
      solids.push(fp);
      break;
    }
  }
  const scene = sceneOf('canyon_with_cars', meshes);
  const street = (rr: () => number): Vec3 => [-95 + 190 * rr(), -9 + 18 * rr(), 1 + 2 * rr()];
  const txAt = (rr: () => number): Vec3 => [-95 + 190 * rr(), -9 + 18 * rr(), 2 + 8 * rr()];
  return { scene, links: (count, s) => sampleLinks(count, s, street, txAt, solids, 0.2) };
}

/**
 * A city block of ~10 000 triangles: a 3 × 3 grid of blocks (60 × 45 m) between 16 m streets,
 * each block built up with 4–6 buildings on rectangular, L-shaped or chamfered footprints
 * (8–60 m tall, flat roofs, facades tessellated by storey), turned by up to ±5°, and 40 cars
 * in the streets; ground tessellated in 10 m tiles.
 */
export function cityBlock(seed = 3): GeneratedScene {
  const r = seededRandom(seed);
  const BW = 60,
    BD = 45,
    ST = 16;
  const X0 = -(1.5 * BW + ST),
    Y0 = -(1.5 * BD + ST);
  const W = 3 * BW + 2 * ST,
    D = 3 * BD + 2 * ST;
  const meshes: MeshInput[] = [
    ground('ground', 'itu_medium_dry_ground', X0 - 20, Y0 - 20, X0 + W + 20, Y0 + D + 20, 10),
  ];
  const solids: Solid[] = [];
  const walls = ['itu_concrete', 'itu_brick', 'itu_glass', 'itu_marble'];
  let id = 0;
  for (let bi = 0; bi < 3; bi++) {
    for (let bj = 0; bj < 3; bj++) {
      const bx = X0 + bi * (BW + ST);
      const by = Y0 + bj * (BD + ST);
      // split the block into a 2 × 2 or 3 × 2 set of lots
      const nx = r() < 0.5 ? 2 : 3;
      for (let i = 0; i < nx; i++) {
        for (let j = 0; j < 2; j++) {
          if (r() < 0.12) continue; // an empty lot (a courtyard)
          const lx0 = bx + (i * BW) / nx + 1,
            lx1 = bx + ((i + 1) * BW) / nx - 1;
          const ly0 = by + (j * BD) / 2 + 1,
            ly1 = by + ((j + 1) * BD) / 2 - 1;
          const cx = (lx0 + lx1) / 2,
            cy = (ly0 + ly1) / 2;
          const hw = ((lx1 - lx0) / 2) * (0.75 + 0.2 * r());
          const hd = ((ly1 - ly0) / 2) * (0.75 + 0.2 * r());
          const kind = r();
          let local: Xy[];
          if (kind < 0.4) local = rect(-hw, -hd, hw, hd);
          else if (kind < 0.7) {
            // L-shape: a corner notch
            const nxw = hw * (0.3 + 0.4 * r()),
              nyd = hd * (0.3 + 0.4 * r());
            local = [
              [-hw, -hd],
              [hw, -hd],
              [hw, hd - 2 * nyd],
              [hw - 2 * nxw, hd - 2 * nyd],
              [hw - 2 * nxw, hd],
              [-hw, hd],
            ];
          } else {
            // chamfered corners
            const c = Math.min(hw, hd) * (0.2 + 0.3 * r());
            local = [
              [-hw + c, -hd],
              [hw - c, -hd],
              [hw, -hd + c],
              [hw, hd - c],
              [hw - c, hd],
              [-hw + c, hd],
              [-hw, hd - c],
              [-hw, -hd + c],
            ];
          }
          const angle = (r() - 0.5) * 0.17;
          const ca = Math.cos(angle),
            sa = Math.sin(angle);
          const poly: Xy[] = local.map(([u, v]) => [cx + ca * u - sa * v, cy + sa * u + ca * v]);
          if (signedArea2(poly) < 0) poly.reverse();
          const h = 8 + 52 * r() ** 1.5;
          meshes.push(prism(`building_${id++}`, walls[Math.floor(r() * 4)]!, poly, 0, h, { cell: 4.6 }));
          solids.push({ poly, z0: 0, z1: h });
        }
      }
    }
  }
  // cars in the streets (x streets at y = by − ST/2 …, y streets likewise)
  const streetPoint = (rr: () => number): { p: Xy; heading: number } => {
    if (rr() < 0.5) {
      const k = Math.floor(rr() * 2);
      const y = Y0 + BD + ST / 2 + k * (BD + ST) + (rr() < 0.5 ? -1 : 1) * (2.5 + 3 * rr());
      return { p: [X0 + W * rr(), y], heading: (rr() < 0.5 ? 0 : Math.PI) + (rr() - 0.5) * 0.14 };
    }
    const k = Math.floor(rr() * 2);
    const x = X0 + BW + ST / 2 + k * (BW + ST) + (rr() < 0.5 ? -1 : 1) * (2.5 + 3 * rr());
    return { p: [x, Y0 + D * rr()], heading: Math.PI / 2 + (rr() < 0.5 ? 0 : Math.PI) + (rr() - 0.5) * 0.14 };
  };
  let cars = 0;
  for (let attempt = 0; cars < 40 && attempt < 2000; attempt++) {
    const { p, heading } = streetPoint(r);
    const fp = carFootprint(p[0], p[1], heading);
    if (
      solids.some((s) => fp.poly.some((q) => insidePolygon(q, s.poly) || distanceToPolygon(q, s.poly) < 0.8))
    )
      continue;
    if (solids.some((s) => s.poly.some((q) => insidePolygon(q, fp.poly)))) continue;
    meshes.push(car(`car_${cars++}`, p[0], p[1], heading));
    solids.push(fp);
  }
  const scene = sceneOf('city_block', meshes);
  const rxAt = (rr: () => number): Vec3 => {
    const { p } = streetPoint(rr);
    return [p[0], p[1], 1 + 2 * rr()];
  };
  const txAt = (rr: () => number): Vec3 => {
    const { p } = streetPoint(rr);
    return [p[0], p[1], 3 + 12 * rr()];
  };
  return { scene, links: (count, s) => sampleLinks(count, s, rxAt, txAt, solids, 0.3) };
}
