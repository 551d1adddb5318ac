// Exhaustive beam-pair search (WGSL port of beams/beamChannel.ts BeamLink.gainOf; docs/physics.md
// §16): for link L and Tx/Rx beams (t, r), with carrier-phased coefficients c_i and responses
// T_t(i), R_r(i),
//   G(t, r) = Σ_taps |Σ_{i ∈ tap} c_i·T_t(i)·R_r(i)|² + Σ_diffuse |c_i·T_t(i)·R_r(i)|².
// One workgroup per link: its lanes take pairs in turn, then reduce to the largest G (the lowest
// pair index on ties, as the CPU's first-found). Constants prepended by the host: NT, NR.
// WRITE_ALL also writes every pair's G (tests compare the whole matrix with the CPU's).

struct Link {
  first_path: u32,
  path_count: u32,
  first_tap: u32, // into tap_bounds: taps k..k+1 bound the link's k-th tap (absolute path indices)
  tap_count: u32,
  diffuse_start: u32, // absolute index of the first diffuse path
  gains_at: u32, // offset of the link's matrix in `gains` (WRITE_ALL)
  pad0: u32,
  pad1: u32,
}

struct Best {
  gain: f32,
  pair: u32,
}

override WRITE_ALL: bool = false;

@group(0) @binding(0) var<storage, read> links: array<Link>;
@group(0) @binding(1) var<storage, read> tap_bounds: array<u32>;
@group(0) @binding(2) var<storage, read> coef: array<vec2f>;
@group(0) @binding(3) var<storage, read> tx_resp: array<vec2f>;
@group(0) @binding(4) var<storage, read> rx_resp: array<vec2f>;
@group(0) @binding(5) var<storage, read_write> best: array<Best>;
@group(0) @binding(6) var<storage, read_write> gains: array<f32>;

var<workgroup> lane_gain: array<f32, 64>;
var<workgroup> lane_pair: array<u32, 64>;

fn cmul(a: vec2f, b: vec2f) -> vec2f {
  return vec2f(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lane: u32) {
  let l = wid.y * groups.x + wid.x;
  let in_range = l < arrayLength(&links);
  var top = -1.0;
  var top_pair = 0xffffffffu;
  if (in_range) {
    let link = links[l];
    for (var pair = lane; pair < NT * NR; pair += 64u) {
      let t = pair / NR;
      let r = pair % NR;
      var g = 0.0;
      for (var k = 0u; k < link.tap_count; k++) {
        var s = vec2f(0.0, 0.0);
        for (var i = tap_bounds[link.first_tap + k]; i < tap_bounds[link.first_tap + k + 1u]; i++) {
          s += cmul(cmul(coef[i], tx_resp[i * NT + t]), rx_resp[i * NR + r]);
        }
        g += dot(s, s);
      }
      for (var i = link.diffuse_start; i < link.first_path + link.path_count; i++) {
        let h = cmul(cmul(coef[i], tx_resp[i * NT + t]), rx_resp[i * NR + r]);
        g += dot(h, h);
      }
      if (WRITE_ALL) { gains[link.gains_at + pair] = g; }
      if (g > top) { top = g; top_pair = pair; }
    }
  }
  lane_gain[lane] = top;
  lane_pair[lane] = top_pair;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride = stride / 2u) {
    if (lane < stride) {
      let og = lane_gain[lane + stride];
      let op = lane_pair[lane + stride];
      if (og > lane_gain[lane] || (og == lane_gain[lane] && op < lane_pair[lane])) {
        lane_gain[lane] = og;
        lane_pair[lane] = op;
      }
    }
    workgroupBarrier();
  }
  if (lane == 0u && in_range) {
    best[l] = Best(max(lane_gain[0], 0.0), select(lane_pair[0], 0u, lane_pair[0] == 0xffffffffu));
  }
}
