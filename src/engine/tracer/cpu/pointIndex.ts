/**
 * A static bounding-box tree over points, queried with a convex region given as half-spaces
 * (N·x − d ≥ 0): the meet-in-the-middle join of receiverSearch.ts finds the transmitter images
 * inside a receiver-side beam with it.
 */
export class PointIndex {
  /** 6 per node: min xyz, max xyz */
  private readonly bounds: Float64Array;
  /** 2 per node: inner (left, right); leaf (first, −count) into `order` */
  private readonly nodes: Int32Array;
  private readonly order: Int32Array;
  private readonly stack = new Int32Array(128);

  /** `points`: 3 per point; `ids`: the id reported for each point. */
  constructor(
    private readonly points: Float64Array,
    readonly ids: Int32Array,
  ) {
    const n = ids.length;
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const bounds: number[] = [];
    const nodes: number[] = [];
    const build = (start: number, end: number): number => {
      const id = nodes.length / 2;
      nodes.push(0, 0);
      const b = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
      for (let i = start; i < end; i++) {
        const p = order[i]!;
        for (let a = 0; a < 3; a++) {
          b[a] = Math.min(b[a]!, points[3 * p + a]!);
          b[3 + a] = Math.max(b[3 + a]!, points[3 * p + a]!);
        }
      }
      bounds.push(...b);
      if (end - start <= 8) {
        nodes[2 * id] = start;
        nodes[2 * id + 1] = -(end - start);
        return id;
      }
      const ext = [b[3]! - b[0]!, b[4]! - b[1]!, b[5]! - b[2]!];
      const axis = ext[0]! >= ext[1]! && ext[0]! >= ext[2]! ? 0 : ext[1]! >= ext[2]! ? 1 : 2;
      const part = Array.from(order.subarray(start, end)).sort(
        (p, q) => points[3 * p + axis]! - points[3 * q + axis]!,
      );
      order.set(part, start);
      const mid = (start + end) >> 1;
      const left = build(start, mid);
      const right = build(mid, end);
      nodes[2 * id] = left;
      nodes[2 * id + 1] = right;
      return id;
    };
    if (n > 0) build(0, n);
    this.bounds = Float64Array.from(bounds);
    this.nodes = Int32Array.from(nodes);
    this.order = order;
  }

  /** Calls `visit(id)` for every point with N·x − d ≥ 0 for all planes [from, to) of `planes`. */
  query(planes: Float64Array, from: number, to: number, visit: (id: number) => void): void {
    if (this.ids.length === 0) return;
    const { bounds, nodes, order, points, stack } = this;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp]!;
      const o = 6 * node;
      let outside = false;
      for (let i = from; i < to && !outside; i++) {
        const nx = planes[4 * i]!,
          ny = planes[4 * i + 1]!,
          nz = planes[4 * i + 2]!;
        const x = nx >= 0 ? bounds[o + 3]! : bounds[o]!;
        const y = ny >= 0 ? bounds[o + 4]! : bounds[o + 1]!;
        const z = nz >= 0 ? bounds[o + 5]! : bounds[o + 2]!;
        outside = nx * x + ny * y + nz * z - planes[4 * i + 3]! < 0;
      }
      if (outside) continue;
      const a = nodes[2 * node]!;
      const b = nodes[2 * node + 1]!;
      if (b > 0) {
        stack[sp++] = a;
        stack[sp++] = b;
        continue;
      }
      for (let k = a; k < a - b; k++) {
        const p = order[k]!;
        const px = points[3 * p]!,
          py = points[3 * p + 1]!,
          pz = points[3 * p + 2]!;
        let inside = true;
        for (let i = from; i < to && inside; i++)
          inside =
            planes[4 * i]! * px + planes[4 * i + 1]! * py + planes[4 * i + 2]! * pz - planes[4 * i + 3]! >= 0;
        if (inside) visit(this.ids[p]!);
      }
    }
  }

  /** Calls `visit(id)` for every point. */
  all(visit: (id: number) => void): void {
    for (const id of this.ids) visit(id);
  }
}
