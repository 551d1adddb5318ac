// Link statistics (metrics/linkStats.ts, its f32 port) from the field kernel's output, without
// bringing per-path data back to the host: one invocation per (link, column c), c = 0 for the
// values and c = k + 1 for ∂/∂θ_k. Sums are compensated (Kahan): a link can hold thousands of
// diffuse-scattering paths. The structs PathRecord, InteractionRecord come from the field
// kernel's layout (field/gpu/fieldKernel.ts), LinkRange and PathInfo from linkStatsKernel.ts, and
// so do the statistic indices STAT_COUNT, STAT_DIFFUSE (linkStats.ts, one numbering).
// Diffuse-scattering samples (kind 2) enter as one aggregated power, DIFFUSE, never in the coherent
// sum COH and never as the K-factor reference (linkStats.ts, docs/physics.md §10).

struct Params {
  nLinks: u32,
  nColumns: u32,      // parameters n (the invocation grid is nLinks × (n + 1))
  dEtaDSigma: f32,    // ∂η/∂σ = j·dEtaDSigma, dEtaDSigma = −1/(ε0ω)
  pad: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> links: array<LinkRange>;
@group(0) @binding(2) var<storage, read> info: array<PathInfo>;
@group(0) @binding(3) var<storage, read> paths: array<PathRecord>;
@group(0) @binding(4) var<storage, read> its: array<InteractionRecord>;
@group(0) @binding(5) var<storage, read> a: array<vec2f>;
@group(0) @binding(6) var<storage, read> seeds: array<vec2f>;
// column of each (material, slot ε'r, σ, S, d); −1: not a parameter
@group(0) @binding(7) var<storage, read> columns: array<i32>;
// per link: STAT_COUNT values per column (values first)
@group(0) @binding(8) var<storage, read_write> stats: array<f32>;
// per link: nonzero paths, K-factor reference (0 LoS, 1 strongest deterministic, 2 none)
@group(0) @binding(9) var<storage, read_write> linkMeta: array<u32>;

const SEEDS: u32 = 5u;

var<private> sum: array<f32, STAT_COUNT>;
var<private> comp: array<f32, STAT_COUNT>;

fn add(s: u32, x: f32) {
  let y = x - comp[s];
  let t = sum[s] + y;
  comp[s] = (t - sum[s]) - y;
  sum[s] = t;
}

fn cmul(u: vec2f, v: vec2f) -> vec2f { return vec2f(u.x * v.x - u.y * v.y, u.x * v.y + u.y * v.x); }

// ∂a/∂θ_k of path p: the seeds of its interactions whose (material, slot) is column k
fn derivative(p: u32, k: i32) -> vec2f {
  let path = paths[p];
  var d = vec2f(0.0);
  for (var q = path.first; q < path.first + path.count; q++) {
    let I = its[q];
    let mA = 4u * I.materialA;
    let s = SEEDS * q;
    let jc = vec2f(0.0, P.dEtaDSigma);
    if (columns[mA] == k) { d += seeds[s]; }
    if (columns[mA + 1u] == k) { d += cmul(seeds[s], jc); }
    if (columns[mA + 2u] == k) { d += seeds[s + 1u]; }
    if (columns[mA + 3u] == k) { d += seeds[s + 2u]; }
    if (I.kind == 3u) {
      let mB = 4u * I.materialB;
      if (columns[mB] == k) { d += seeds[s + 3u]; }
      if (columns[mB + 1u] == k) { d += cmul(seeds[s + 3u], jc); }
      if (columns[mB + 3u] == k) { d += seeds[s + 4u]; }
    }
  }
  return d;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let id = gid.y * (nwg.x * 64u) + gid.x;
  let width = P.nColumns + 1u;
  if (id >= P.nLinks * width) { return; }
  let l = id / width;
  let c = id % width;
  let k = i32(c) - 1;
  let range = links[l];
  // K-factor reference: the LoS path, else the strongest deterministic one (a ≠ 0)
  var refPath = -1;
  var refPower = -1.0;
  var los = false;
  var nonzero = 0u;
  for (var i = 0u; i < range.count; i++) {
    let p = range.first + i;
    let v = a[p];
    let pw = dot(v, v);
    if (pw == 0.0) { continue; }
    nonzero++;
    let kind = info[p].kind;
    if (kind == 0u) {
      los = true;
      refPath = i32(i);
      refPower = 3.4e38;
    } else if (kind == 1u && pw > refPower) {
      refPath = i32(i);
      refPower = pw;
    }
  }
  for (var s = 0u; s < STAT_COUNT; s++) {
    sum[s] = 0.0;
    comp[s] = 0.0;
  }
  if (nonzero > 0u) {
    for (var i = 0u; i < range.count; i++) {
      let p = range.first + i;
      let v = a[p];
      let pw = dot(v, v);
      let I = info[p];
      var slot = 8u;
      if (i32(i) == refPath) { slot = 7u; }
      let t = I.delayNs;
      if (k < 0) {
        if (pw == 0.0) { continue; }
        add(0u, pw);
        add(1u, pw * t);
        add(2u, pw * t * t);
        if (I.kind == 2u) {
          add(STAT_DIFFUSE, pw);
        } else {
          let h = cmul(v, I.carrier);
          add(3u, h.x);
          add(4u, h.y);
        }
        add(5u, pw * I.arrival.x);
        add(6u, pw * I.arrival.y);
        add(slot, pw);
      } else {
        let dv = derivative(p, k);
        if (dv.x == 0.0 && dv.y == 0.0) { continue; }
        let dp = 2.0 * dot(v, dv);
        add(0u, dp);
        add(1u, dp * t);
        add(2u, dp * t * t);
        if (I.kind == 2u) {
          add(STAT_DIFFUSE, dp);
        } else {
          let dh = cmul(dv, I.carrier);
          add(3u, dh.x);
          add(4u, dh.y);
        }
        add(5u, dp * I.arrival.x);
        add(6u, dp * I.arrival.y);
        add(slot, dp);
      }
    }
  }
  let o = (l * STAT_COUNT) * width;
  for (var s = 0u; s < STAT_COUNT; s++) { stats[o + s * width + c] = sum[s]; }
  if (c == 0u) {
    linkMeta[2u * l] = nonzero;
    var r = 2u;
    if (refPath >= 0) { r = select(1u, 0u, los); }
    linkMeta[2u * l + 1u] = r;
  }
}
