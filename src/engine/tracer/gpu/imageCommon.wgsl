// Shared by pairFilter.wgsl and imagePaths.wgsl: parameters, candidates, receivers, and the
// point-in-face tests of the image method (cpu/specular.ts, cpu/tracerGeometry.ts).

struct Params {
  tx: vec4f,
  pairCount: u32,    // pairs of this dispatch (pairFilter: in `work`; imagePaths: survivors)
  rxCount: u32,      // receivers in `receivers`
  stride: u32,       // vec4 per record: 1 header + maxDepth points
  capacity: u32,     // records that fit in `records`
  tol: f32,          // the reference's in-face and side tolerance (m)
  posErr: f32,       // f32 rounding error of a coordinate of this scene (m)
  eps: f32,          // the reference's occlusion epsilon (m)
  pad0: u32,
  pad1: vec4u,
}

@group(0) @binding(4) var<uniform> params: Params;
// 2 vec4 per trie node: (transmitter image, bitcast parent), (bitcast face, bitcast type, bitcast depth, 0)
@group(0) @binding(5) var<storage, read> candidates: array<vec4f>;
@group(0) @binding(6) var<storage, read> receivers: array<vec4f>;

// MAX_DEPTH is set by the host to the longest candidate: private arrays cost per invocation
// (SwiftShader zero-fills them: 1 KB of arrays made every invocation 0.5 µs slower)
const MAX_DEPTH: u32 = 12u;
const MAX_POINTS: u32 = MAX_DEPTH + 2u;
const REFLECTION: u32 = 0u;
const REJECT: u32 = 0u;
const VALID: u32 = 1u;
const UNDECIDED: u32 = 2u;

fn planeDistance(f: u32, p: vec3f) -> f32 {
  let pl = sceneFaces[2u * f];
  return dot(pl.xyz, p) - pl.w;
}

// Largest over the face's triangles of the smallest signed distance (m) to the triangle's
// edges, in the plane: ≥ −tol means inside as insideFace in cpu/tracerGeometry.ts.
fn insideMargin(f: u32, p: vec3f) -> f32 {
  let range = bitcast<vec2u>(sceneFaces[2u * f + 1u].xy);
  var best = -NO_HIT;
  for (var i = range.x; i < range.x + range.y; i++) {
    let a = faceEdges[3u * i];
    let b = faceEdges[3u * i + 1u];
    let c = faceEdges[3u * i + 2u];
    let m = min(min(dot(a.xyz, p) - a.w, dot(b.xyz, p) - b.w), dot(c.xyz, p) - c.w);
    best = max(best, m);
  }
  return best;
}

// Cheap first test of a pair: the last interaction point (from the receiver towards the last
// image) must exist and lie in its face. Most pairs fail here and never pay for solve().
fn lastPointPossible(node: u32, rx: vec3f) -> bool {
  let f = bitcast<u32>(candidates[2u * node + 1u].x);
  let img = candidates[2u * node].xyz;
  let dI = planeDistance(f, img);
  let dQ = planeDistance(f, rx);
  let e0 = params.posErr;
  if (dI * dQ >= 0.0 && abs(dI) > 2.0 * e0 && abs(dQ) > 2.0 * e0) { return false; }
  if (dI == dQ) { return true; }
  let cosI = abs(dI - dQ) / max(length(rx - img), 1e-30);
  if (cosI < 1e-3) { return true; }
  let p = img + (dI / (dI - dQ)) * (rx - img);
  return insideMargin(f, p) >= -params.tol - (2.0 * e0 / cosI + e0);
}


// The whole backward construction of the image method without visibility, in registers only
// (no per-invocation arrays): P_k from the receiver back to the transmitter, each in its face,
// each face's neighbours on the right sides, with the error bounds of solve() in
// imagePaths.wgsl. REJECT when f32 is certain the reference rejects the pair, VALID when it is
// certain the reference accepts its geometry (points in faces, sides right), UNDECIDED
// otherwise; visibility is not tested here.
fn geometryStatus(node: u32, rx: vec3f) -> u32 {
  let e0 = params.posErr;
  let tol = params.tol;
  var status = VALID;
  var v = node;
  var q = rx;           // P_{k+1}
  var eq = e0;          // its error bound
  var q2 = rx;          // P_{k+2} (for the side test of face k+1)
  var eq2 = e0;
  var prevFace = 0u;    // f_{k+1}
  var prevType = 0u;
  var havePrev = false;
  let depth = bitcast<u32>(candidates[2u * node + 1u].z);
  for (var k = depth; k >= 1u; k--) {
    let c = candidates[2u * v + 1u];
    let f = bitcast<u32>(c.x);
    let img = candidates[2u * v].xyz;
    let dI = planeDistance(f, img);
    let dQ = planeDistance(f, q);
    if (dI * dQ >= 0.0) {
      if (abs(dI) > 2.0 * e0 && abs(dQ) > eq + e0) { return REJECT; }
      return UNDECIDED; // pass 2 decides
    }
    let cosI = abs(dI - dQ) / max(length(q - img), 1e-30);
    if (cosI < 1e-3) { return UNDECIDED; }
    let p = img + (dI / (dI - dQ)) * (q - img);
    let e = (eq + e0) / cosI + e0;
    let m = insideMargin(f, p);
    if (m < -tol - e) { return REJECT; }
    if (m <= -tol + e) { status = UNDECIDED; }
    // side test of face k+1 now that both its neighbours P_k and P_{k+2} are known
    if (havePrev) {
      let a = planeDistance(prevFace, p);
      let b = planeDistance(prevFace, q2);
      if (abs(a) > tol + e + e0 && abs(b) > tol + eq2 + e0) {
        if ((prevType == REFLECTION) != (a * b > 0.0)) { return REJECT; }
      } else {
        status = UNDECIDED;
      }
    }
    havePrev = true;
    prevFace = f;
    prevType = bitcast<u32>(c.y);
    q2 = q;
    eq2 = eq;
    q = p;
    eq = e;
    v = bitcast<u32>(candidates[2u * v].w);
  }
  if (havePrev) {
    // face 1: neighbours are the transmitter and P_2
    let a = planeDistance(prevFace, params.tx.xyz);
    let b = planeDistance(prevFace, q2);
    if (abs(a) > tol + 2.0 * e0 && abs(b) > tol + eq2 + e0) {
      if ((prevType == REFLECTION) != (a * b > 0.0)) { return REJECT; }
    } else {
      status = UNDECIDED;
    }
  }
  return status;
}
