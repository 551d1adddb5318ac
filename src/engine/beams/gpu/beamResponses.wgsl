// Beam responses of a uniform planar array (WGSL port of beams/array.ts steeringVector + dotWeights;
// docs/physics.md §16): for path p with world direction d_p and beam b,
//   r_b(d) = Σ_n w_{b,n} · e^{+j2π (y_n·d_local.y + z_n·d_local.z)},  d_local = toLocal · d,
// element positions (y_n, z_n) in wavelengths. One invocation per (path, beam).
// Prepended by the host: the constants PATHS, BEAMS, ELEMENTS and gpu/turns.wgsl.

struct Frame {
  row0: vec4f,
  row1: vec4f,
  row2: vec4f,
}

@group(0) @binding(0) var<storage, read> dirs: array<vec4f>;
@group(0) @binding(1) var<storage, read> positions: array<vec2f>;
@group(0) @binding(2) var<storage, read> weights: array<vec2f>;
@group(0) @binding(3) var<uniform> frame: Frame;
@group(0) @binding(4) var<storage, read_write> responses: array<vec2f>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let id = gid.y * (groups.x * 64u) + gid.x;
  if (id >= PATHS * BEAMS) { return; }
  let p = id / BEAMS;
  let b = id % BEAMS;
  let d = dirs[p].xyz;
  let ly = dot(frame.row1.xyz, d);
  let lz = dot(frame.row2.xyz, d);
  var acc = vec2f(0.0, 0.0);
  for (var n = 0u; n < ELEMENTS; n++) {
    let q = positions[n];
    // the phase in turns, through cosSinTurns (gpu/turns.wgsl, ~1 ulp): WGSL's own cos and sin
    // are only held to 2^-11 absolute error
    let turns = q.x * ly + q.y * lz;
    let v = cosSinTurns(turns - round(turns));
    let w = weights[b * ELEMENTS + n];
    acc += vec2f(w.x * v.x - w.y * v.y, w.x * v.y + w.y * v.x);
  }
  responses[p * BEAMS + b] = acc;
}
