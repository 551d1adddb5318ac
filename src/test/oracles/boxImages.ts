import type { Vec3 } from '../../engine/core/vec3.ts';

/**
 * Independent image-source enumeration for the box [−5,5]×[−5,5]×[0,5] (walls as mirrors):
 * along one axis with walls at a and b (W = b − a) the images of x are x + 2kW (order 2|k|) and
 * 2a − x + 2kW (order |2k − 1|). In a convex box every image is a valid path, so the unfolded
 * lengths of all paths with ≤ D reflections are the distances from the combined images to Rx.
 */
export function boxImageLengths(tx: Vec3, rx: Vec3, maxOrder: number): number[] {
  const walls: [number, number][] = [
    [-5, 5],
    [-5, 5],
    [0, 5],
  ];
  const perAxis = walls.map(([a, b], axis) => {
    const W = b - a;
    const x = tx[axis]!;
    const out: { c: number; order: number }[] = [];
    for (let k = -maxOrder; k <= maxOrder; k++) {
      out.push({ c: x + 2 * k * W, order: 2 * Math.abs(k) });
      out.push({ c: 2 * a - x + 2 * k * W, order: Math.abs(2 * k - 1) });
    }
    return out.filter((i) => i.order <= maxOrder);
  });
  const lengths: number[] = [];
  for (const ix of perAxis[0]!) {
    for (const iy of perAxis[1]!) {
      for (const iz of perAxis[2]!) {
        if (ix.order + iy.order + iz.order > maxOrder) continue;
        lengths.push(Math.hypot(ix.c - rx[0], iy.c - rx[1], iz.c - rx[2]));
      }
    }
  }
  return lengths.sort((p, q) => p - q);
}
