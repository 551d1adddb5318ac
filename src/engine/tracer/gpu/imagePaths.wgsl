// Pass 2 of the image method on the GPU: the full test of each pair that survived pass 1
// (pairFilter.wgsl), mirroring SpecularSolver.solve in cpu/specular.ts: points found backwards
// from the receiver towards the transmitter images, each inside its face, neighbours on the
// right sides, every segment unobstructed.
// f32 cannot decide cases within its rounding error of a boundary (point on a face edge,
// segment grazing an obstacle): those pairs are reported as undecided and solved again on the
// host in float64 by the CPU reference, so the path set is the reference's.
// Output: compacted records of (node, receiver, status) + interaction points, status 1 = valid,
// 2 = undecided; rejected pairs write nothing.

@group(0) @binding(7) var<storage, read_write> counter: array<atomic<u32>>;
@group(0) @binding(8) var<storage, read_write> records: array<vec4f>;
// 3 per pair: node, receiver, segment mask (bit k set when segment k may be blocked; the host
// proved the others clear for this receiver, beamShadows.ts)
@group(0) @binding(9) var<storage, read> survivors: array<u32>;

// Full test of pair (node, receiver r); appends a record when valid or undecided.
fn solve(node: u32, r: u32, depth: u32, rx: vec3f, mask: u32) {
  var pts: array<vec3f, MAX_POINTS>;
  var err: array<f32, MAX_POINTS>;
  var faces: array<u32, MAX_POINTS>;
  var types: array<u32, MAX_POINTS>;
  var nodes: array<u32, MAX_POINTS>;
  var v = node;
  for (var k = depth; k >= 1u; k--) {
    nodes[k] = v;
    faces[k] = bitcast<u32>(candidates[2u * v + 1u].x);
    types[k] = bitcast<u32>(candidates[2u * v + 1u].y);
    v = bitcast<u32>(candidates[2u * v].w);
  }
  let e0 = params.posErr;
  pts[0] = params.tx.xyz;
  err[0] = e0;
  pts[depth + 1u] = rx;
  err[depth + 1u] = e0;
  var undecided = false;
  var status = VALID;

  loop {
    // points backwards from the receiver: P_k = (line I_k → P_{k+1}) ∩ plane(f_k)
    var degenerate = false;
    for (var k = depth; k >= 1u; k--) {
      let f = faces[k];
      let img = candidates[2u * nodes[k]].xyz;
      let q = pts[k + 1u];
      let dI = planeDistance(f, img);
      let dQ = planeDistance(f, q);
      // the reference requires 0 < s < 1: image and next point strictly on opposite sides
      if (dI * dQ >= 0.0) {
        if (abs(dI) > 2.0 * e0 && abs(dQ) > err[k + 1u] + e0) { return; }
        undecided = true;
        if (dI == dQ) { degenerate = true; break; }
      }
      let s = dI / (dI - dQ);
      let p = img + s * (q - img);
      // the error of P grows as 1/cos of the incidence on the plane
      let cosI = abs(dI - dQ) / max(length(q - img), 1e-30);
      if (cosI < 1e-3) { degenerate = true; break; }
      let e = (err[k + 1u] + e0) / cosI + e0;
      let m = insideMargin(f, p);
      if (m < -params.tol - e) { return; }
      if (m <= -params.tol + e) { undecided = true; }
      pts[k] = p;
      err[k] = e;
    }
    if (degenerate) { status = UNDECIDED; break; }
    // neighbours strictly off the plane: same side for a reflection, opposite for a transmission
    for (var k = 1u; k <= depth; k++) {
      let f = faces[k];
      let a = planeDistance(f, pts[k - 1u]);
      let b = planeDistance(f, pts[k + 1u]);
      if (abs(a) <= params.tol + err[k - 1u] + e0 || abs(b) <= params.tol + err[k + 1u] + e0) {
        undecided = true;
        continue;
      }
      if ((types[k] == REFLECTION) != (a * b > 0.0)) { return; }
    }
    // every segment unobstructed, ignoring the planes it starts and ends on; hits within eps of
    // an antenna are ignored, any other hit blocks however close to an interaction point
    // (segmentOccluded in cpu/rayCast.ts: the watertight rule)
    for (var k = 0u; k <= depth; k++) {
      if ((mask & (1u << k)) == 0u) { continue; }
      let a = pts[k];
      let b = pts[k + 1u];
      let len = length(b - a);
      let e = max(err[k], err[k + 1u]) + e0;
      let tMin = select(0.0, params.eps, k == 0u);
      let tMax = len - select(0.0, params.eps, k == depth);
      if (tMax - tMin <= 4.0 * e) {
        undecided = true;
        continue;
      }
      let skipA = select(0xffffffffu, faces[k], k > 0u);
      let skipB = select(0xffffffffu, faces[k + 1u], k < depth);
      let vis = segmentVisibility(a, (b - a) / len, tMin, tMax, skipA, skipB, e);
      if (vis == 1u) { return; }
      if (vis == 2u) { undecided = true; }
    }
    status = select(VALID, UNDECIDED, undecided);
    break;
  }
  let slot = atomicAdd(&counter[0], 1u);
  if (slot >= params.capacity) { return; }
  let base = slot * params.stride;
  records[base] = vec4f(bitcast<f32>(node), bitcast<f32>(r), bitcast<f32>(status), 0.0);
  for (var k = 1u; k <= depth; k++) {
    records[base + k] = vec4f(pts[k], 0.0);
  }
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.y * groups.x * 64u + gid.x;
  if (idx >= params.pairCount) { return; }
  let node = survivors[3u * idx];
  let r = survivors[3u * idx + 1u];
  let depth = min(bitcast<u32>(candidates[2u * node + 1u].z), MAX_DEPTH);
  solve(node, r, depth, receivers[r].xyz, survivors[3u * idx + 2u]);
}
