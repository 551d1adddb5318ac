// BVH traversal over the scene packed by sceneBuffers.ts (shared layout of bvh.ts, in f32).
// Prepended to every kernel that casts rays; the kernel's own bindings start at 4.

@group(0) @binding(0) var<storage, read> bvhNodes: array<vec4f>;
@group(0) @binding(1) var<storage, read> bvhTriangles: array<vec4f>;
@group(0) @binding(2) var<storage, read> sceneFaces: array<vec4f>;
@group(0) @binding(3) var<storage, read> faceEdges: array<vec4f>;

// set by the host to the BVH's depth + 2 (see kernelSource): private arrays cost per invocation
const STACK_SIZE: u32 = 48u;
const NO_HIT: f32 = 3.0e38;

// Slab test; returns the entry distance or NO_HIT. inv = 1/d with ±inf for zero components:
// 0·inf = NaN is mapped to an unbounded slab as in bvh.ts.
fn rayBox(node: u32, o: vec3f, inv: vec3f, tMax: f32) -> f32 {
  let lo = bvhNodes[2u * node].xyz;
  let hi = bvhNodes[2u * node + 1u].xyz;
  var a = (lo - o) * inv;
  var b = (hi - o) * inv;
  for (var k = 0; k < 3; k++) {
    if (a[k] != a[k]) { a[k] = -NO_HIT; }
    if (b[k] != b[k]) { b[k] = NO_HIT; }
  }
  let t0 = max(max(max(min(a.x, b.x), min(a.y, b.y)), min(a.z, b.z)), 0.0);
  let t1 = min(min(min(max(a.x, b.x), max(a.y, b.y)), max(a.z, b.z)), tMax);
  if (t0 > t1 * (1.0 + 1e-6) + 1e-6) { return NO_HIT; }
  return t0;
}

// Möller–Trumbore on slot s; returns (t, u, v, det) with det = 0 when the ray is parallel.
fn rayTriangle(s: u32, o: vec3f, d: vec3f) -> vec4f {
  let v0 = bvhTriangles[3u * s].xyz;
  let e1 = bvhTriangles[3u * s + 1u].xyz;
  let e2 = bvhTriangles[3u * s + 2u].xyz;
  let p = cross(d, e2);
  let det = dot(e1, p);
  // parallel test relative to the triangle's size (f32: an absolute 1e-14 as in bvh.ts means nothing)
  if (abs(det) <= 1e-7 * length(e1) * length(e2)) { return vec4f(NO_HIT, 0.0, 0.0, 0.0); }
  let inv = 1.0 / det;
  let sv = o - v0;
  let u = dot(sv, p) * inv;
  let q = cross(sv, e1);
  let v = dot(d, q) * inv;
  let t = dot(e2, q) * inv;
  return vec4f(t, u, v, det);
}

fn invDir(d: vec3f) -> vec3f {
  return vec3f(1.0) / d;
}

fn slotTriangle(s: u32) -> u32 { return bitcast<u32>(bvhTriangles[3u * s].w); }
fn slotFace(s: u32) -> u32 { return bitcast<u32>(bvhTriangles[3u * s + 1u].w); }

// coplanar group of face f (none for the "no face" marker 0xffffffff)
fn planeGroup(f: u32) -> u32 {
  if (f == 0xffffffffu) { return 0xfffffffeu; }
  return bitcast<u32>(sceneFaces[2u * f + 1u].z);
}

// Closest hit with t in (tMin, tMax): returns (t, bitcast scene triangle) or t = NO_HIT.
fn closestHit(o: vec3f, d: vec3f, tMin: f32, tMax: f32) -> vec2f {
  let inv = invDir(d);
  var stack: array<u32, STACK_SIZE>;
  var sp = 1u;
  stack[0] = 0u;
  var best = tMax;
  var bestSlot = -1;
  while (sp > 0u) {
    sp -= 1u;
    let node = stack[sp];
    if (rayBox(node, o, inv, best) == NO_HIT) { continue; }
    let a = bitcast<i32>(bvhNodes[2u * node].w);
    let b = bitcast<i32>(bvhNodes[2u * node + 1u].w);
    if (b <= 0) {
      for (var i = a; i < a - b; i++) {
        let h = rayTriangle(u32(i), o, d);
        if (h.x == NO_HIT || h.y < 0.0 || h.z < 0.0 || h.y + h.z > 1.0) { continue; }
        if (h.x > tMin && h.x < best) {
          best = h.x;
          bestSlot = i;
        }
      }
    } else if (sp + 2u <= STACK_SIZE) {
      stack[sp] = u32(a);
      stack[sp + 1u] = u32(b);
      sp += 2u;
    }
  }
  if (bestSlot < 0) { return vec2f(NO_HIT, 0.0); }
  return vec2f(best, bitcast<f32>(slotTriangle(u32(bestSlot))));
}

// Visibility of the segment o + t·d (d unit), t in (tMin, tMax), ignoring faces skipA and skipB
// (the faces the segment starts and ends on), as segmentOccluded in cpu/rayCast.ts. f32 cannot
// decide hits within its error of the segment ends or of a triangle's edges, so the answer is
// three-valued: 0 = clear, 1 = blocked, 2 = undecided (the host re-checks in float64).
// posErr: error bound (m) of the endpoints; a hit's error grows as 1/cos of its incidence.
// Faces coplanar with skipA or skipB (same plane group, sceneBuffers.ts) are met only at that
// end, and the reference ignores them there: ignored here too unless the incidence is grazing
// (cos < 1e-3), where f32 cannot tell the plane apart and the hit comes out undecided.
fn segmentVisibility(o: vec3f, d: vec3f, tMin: f32, tMax: f32, skipA: u32, skipB: u32, posErr: f32) -> u32 {
  let inv = invDir(d);
  let groupA = planeGroup(skipA);
  let groupB = planeGroup(skipB);
  var stack: array<u32, STACK_SIZE>;
  var sp = 1u;
  stack[0] = 0u;
  var undecided = false;
  while (sp > 0u) {
    sp -= 1u;
    let node = stack[sp];
    if (rayBox(node, o, inv, tMax + 4.0 * posErr) == NO_HIT) { continue; }
    let a = bitcast<i32>(bvhNodes[2u * node].w);
    let b = bitcast<i32>(bvhNodes[2u * node + 1u].w);
    if (b <= 0) {
      for (var i = a; i < a - b; i++) {
        let s = u32(i);
        let f = slotFace(s);
        if (f == skipA || f == skipB) { continue; }
        let e1 = bvhTriangles[3u * s + 1u].xyz;
        let e2 = bvhTriangles[3u * s + 2u].xyz;
        let nrm = cross(e1, e2);
        let nlen = length(nrm);
        let sv = o - bvhTriangles[3u * s].xyz;
        let det = -dot(d, nrm);
        let cosA = abs(det) / nlen;
        if (cosA < 1e-4) {
          // (nearly) parallel: undecided only when the segment runs within reach of the plane
          if (abs(dot(sv, nrm)) / nlen <= 1e-4 * tMax + 4.0 * posErr) { undecided = true; }
          continue;
        }
        if (cosA >= 1e-3) {
          let gr = planeGroup(f);
          if (gr == groupA || gr == groupB) { continue; }
        }
        let h = rayTriangle(s, o, d);
        if (h.x == NO_HIT) { continue; }
        // edge margin in metres: barycentric margin × (smallest height ≈ 2·area / longest edge)
        let longest = max(max(length(e1), length(e2)), length(e2 - e1));
        let margin = min(min(h.y, h.z), 1.0 - h.y - h.z) * nlen / longest;
        let tol = 4.0 * posErr / cosA;
        if (margin < -tol || h.x <= tMin - tol || h.x >= tMax + tol) { continue; }
        if (margin > tol && h.x > tMin + tol && h.x < tMax - tol) { return 1u; }
        undecided = true;
      }
    } else if (sp + 2u <= STACK_SIZE) {
      stack[sp] = u32(a);
      stack[sp + 1u] = u32(b);
      sp += 2u;
    } else {
      undecided = true; // cannot happen with the host's stack size; never answer wrongly
    }
  }
  return select(0u, 2u, undecided);
}
