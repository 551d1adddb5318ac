// Field of propagation paths (specular chains, Lambertian scattering) and its exact material
// derivatives, one invocation per path. Port of fastPathField.ts / fastCoefficients.ts in f32;
// (the scattering pattern factor comes from the host); derivatives in forward mode: every complex quantity that depends on a material is a dual
// number (value, ∂/∂η, ∂/∂d) — a is analytic in η — and each interaction seeds three tangent
// field vectors (∂/∂η, ∂/∂S, ∂/∂d of its own material) that the later interactions carry along.
// The host (fieldGpu.ts) sums the per-interaction derivatives over the interactions of a material.
//
// `const WITH_GRAD: bool` is prepended by the host (two pipelines from this one source).

struct Params {
  k0: f32,          // 2π/λ
  scale: f32,       // λ/(4π)
  dEtaDSigma: f32,  // ∂η/∂σ = j·dEtaDSigma, dEtaDSigma = −1/(ε0ω)
  slab: u32,        // 1: slab model, 0: half-space
  nPaths: u32,
  pathOffset: u32,  // first path of this dispatch (tiles)
  gradBase: u32,    // offset of the derivatives in out
  _p1: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
// per path: [first interaction, interaction count]
@group(0) @binding(1) var<storage, read> pathInts: array<u32>;
// per path, 16 floats: direction of the last segment (3), E0 = Tx field vector (6: xr xi yr yi zr zi),
// U = Rx field vector (6), length of the last segment
@group(0) @binding(2) var<storage, read> pathFloats: array<f32>;
// per interaction: [type (0 reflection, 1 transmission, 2 scattering, 3 diffraction), material
// index (the 0-face's for diffraction), n-face material index (diffraction), diffraction record]
@group(0) @binding(3) var<storage, read> itInts: array<u32>;
// per interaction, 8 floats: face normal (3), scattering amplitude √(cos θi·A·f) (host, f64), direction (3) and length of the
// incoming segment — unit directions normalised in f64 on the host, so that cos θ of grazing
// incidence or scattering keeps f32's relative precision whatever the segment lengths
@group(0) @binding(4) var<storage, read> itFloats: array<f32>;
// per material, 8 floats: Re η, Im η, thickness, S, K_x (xpd), thickness/λ, pad×2
@group(0) @binding(5) var<storage, read> mats: array<f32>;
// per path: [Re a, Im a]; from gradBase, per interaction 16 floats: ∂a/∂ε'r, ∂a/∂σ, ∂a/∂S, ∂a/∂d
// (re, im each) of the interaction's material, then the same for the n-face material (diffraction)
@group(0) @binding(6) var<storage, read_write> out: array<f32>;
// per diffraction, 24 floats computed on the host in f64 (edge geometry, UTD terms with the
// Fresnel transition functions): β̂0′, φ̂′, β̂0, φ̂ (3 each), G, G0, GN (complex: the diffraction
// coefficient is D = G + R0·G0 + Rn·GN, ⊥ coefficients for D_s, ∥ for D_h), cos θ on the 0-face
// and on the n-face, pad×2
@group(0) @binding(7) var<storage, read> diff: array<f32>;

const MAX_INTERACTIONS: u32 = 8u;
const PI: f32 = 3.14159265358979;

// ---- complex helpers (vec2f = re, im) ----
fn cmul(a: vec2f, b: vec2f) -> vec2f { return vec2f(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }
// Smith's division: no overflow of |b|² when |η| ~ 1e7 (metals) or more
fn cdiv(a: vec2f, b: vec2f) -> vec2f {
  if (abs(b.x) >= abs(b.y)) {
    if (b.x == 0.0) { return vec2f(0.0); }
    let r = b.y / b.x;
    let d = b.x + b.y * r;
    return vec2f((a.x + a.y * r) / d, (a.y - a.x * r) / d);
  }
  let r = b.x / b.y;
  let d = b.x * r + b.y;
  return vec2f((a.x * r + a.y) / d, (a.y * r - a.x) / d);
}
fn jmul(a: vec2f) -> vec2f { return vec2f(-a.y, a.x); }
// principal √z (Re ≥ 0, Im with the sign of Im z), without the cancellation of
// √((|z| − Re z)/2) for low-loss dielectrics: the small part is Im z/(2·large part)
fn csqrt(z: vec2f) -> vec2f {
  let m = length(z);
  if (m == 0.0) { return vec2f(0.0); }
  if (z.x >= 0.0) {
    let r = sqrt((m + z.x) * 0.5);
    return vec2f(r, z.y / (2.0 * r));
  }
  var i = sqrt((m - z.x) * 0.5);
  if (z.y < 0.0) { i = -i; }
  return vec2f(abs(z.y) / (2.0 * abs(i)), i);
}

// ---- dual numbers: value, ∂/∂η (complex derivative), ∂/∂d ----
struct D { v: vec2f, e: vec2f, t: vec2f, }
fn dconst(v: vec2f) -> D { return D(v, vec2f(0.0), vec2f(0.0)); }
fn dadd(a: D, b: D) -> D { return D(a.v + b.v, a.e + b.e, a.t + b.t); }
fn dsub(a: D, b: D) -> D { return D(a.v - b.v, a.e - b.e, a.t - b.t); }
// (the value kernel, WITH_GRAD = false, skips the derivative parts: a constant branch)
fn dmul(a: D, b: D) -> D {
  if (!WITH_GRAD) { return dconst(cmul(a.v, b.v)); }
  return D(cmul(a.v, b.v), cmul(a.e, b.v) + cmul(a.v, b.e), cmul(a.t, b.v) + cmul(a.v, b.t));
}
fn ddiv(a: D, b: D) -> D {
  let r = cdiv(a.v, b.v);
  if (!WITH_GRAD) { return dconst(r); }
  return D(r, cdiv(a.e - cmul(r, b.e), b.v), cdiv(a.t - cmul(r, b.t), b.v));
}

// slab reflection R = r′(1 − E2)/(1 − r′²E2) or transmission T = (1 − r′²)E1/(1 − r′²E2)
fn slab(r: D, e1: D, e2: D, transmission: bool) -> D {
  let one = dconst(vec2f(1.0, 0.0));
  let r2 = dmul(r, r);
  let den = dsub(one, dmul(r2, e2));
  if (transmission) { return ddiv(dmul(dsub(one, r2), e1), den); }
  return ddiv(dmul(r, dsub(one, e2)), den);
}

struct Coef { perp: D, par: D, }

// surfaceCoefficientsInto (fastCoefficients.ts) with derivatives
fn coefficients(eta: vec2f, c: f32, d: f32, dOverLambda: f32, transmission: bool) -> Coef {
  let sv = csqrt(vec2f(eta.x - (1.0 - c * c), eta.y));
  var se = vec2f(0.0);
  if (sv.x != 0.0 || sv.y != 0.0) { se = cdiv(vec2f(0.5, 0.0), sv); }
  let s = D(sv, se, vec2f(0.0));
  let cd = dconst(vec2f(c, 0.0));
  let ec = D(eta * c, vec2f(c, 0.0), vec2f(0.0));
  let isSlab = P.slab == 1u;
  if (!isSlab && transmission) {
    let qv = csqrt(eta);
    var qe = vec2f(0.0);
    if (qv.x != 0.0 || qv.y != 0.0) { qe = cdiv(vec2f(0.5, 0.0), qv); }
    let twoC = dconst(vec2f(2.0 * c, 0.0));
    return Coef(ddiv(twoC, dadd(cd, s)), ddiv(dmul(twoC, D(qv, qe, vec2f(0.0))), dadd(ec, s)));
  }
  let rp = ddiv(dsub(cd, s), dadd(cd, s));
  let ra = ddiv(dsub(ec, s), dadd(ec, s));
  if (!isSlab) { return Coef(rp, ra); }
  // q = k0·d·s; E1 = e^{−jq} = e^{Im q}(cos Re q − j sin Re q). Im q ≤ 0 (Im η ≤ 0), so the
  // exponential only underflows (to 0: thick metal), never overflows; then cos/sin of a huge
  // Re q are irrelevant and skipped.
  let kd = P.k0 * d;
  let qv = kd * sv;
  let m = exp(qv.y);
  var e1v = vec2f(0.0);
  if (m > 0.0) {
    // Re q is tens to hundreds of radians: reduce it in turns (d/λ from the host in f64), so
    // that cos/sin see [0, 2π) — SwiftShader's cos/sin lose ~1e-3 at such arguments
    let turns = dOverLambda * sv.x;
    let ph = 2.0 * PI * (turns - floor(turns));
    e1v = m * vec2f(cos(ph), -sin(ph));
  }
  // ∂E1 = −j·E1·∂q, ∂q/∂η = k0·d·∂s/∂η, ∂q/∂d = k0·s
  let mj = -jmul(e1v);
  let e1 = D(e1v, cmul(mj, kd * se), cmul(mj, P.k0 * sv));
  let e2 = dmul(e1, e1);
  return Coef(slab(rp, e1, e2, transmission), slab(ra, e1, e2, transmission));
}

// complex 3-vector
struct CV { x: vec2f, y: vec2f, z: vec2f, }
fn dotRC(r: vec3f, v: CV) -> vec2f { return r.x * v.x + r.y * v.y + r.z * v.z; }

// local bases of an interaction: e⊥ and e∥ of the incident and of the outgoing wave
struct Basis { pin: vec3f, qin: vec3f, pout: vec3f, qout: vec3f, }

// E ← Out·[[co·c⊥, j·xp·c∥], [j·xp·c⊥, co·c∥]]·In·E  (xp = 0 for specular interactions)
fn jones(E: CV, b: Basis, cp: vec2f, ca: vec2f, co: f32, xp: f32) -> CV {
  let A = cmul(cp, dotRC(b.pin, E));
  let B = cmul(ca, dotRC(b.qin, E));
  let q1 = co * A + xp * jmul(B);
  let q2 = co * B + xp * jmul(A);
  return CV(b.pout.x * q1 + b.qout.x * q2, b.pout.y * q1 + b.qout.y * q2, b.pout.z * q1 + b.qout.z * q2);
}

fn perpendicular(k: vec3f, n: vec3f) -> vec3f {
  let c = cross(k, n);
  let l = length(c);
  if (l > 1e-6) { return c / l; }
  // normal incidence: cross k̂ with the world axis least aligned with it (interactions.ts)
  let a = abs(k);
  var axis = vec3f(0.0, 0.0, 1.0);
  if (a.x <= a.y && a.x <= a.z) { axis = vec3f(1.0, 0.0, 0.0); } else if (a.y <= a.z) { axis = vec3f(0.0, 1.0, 0.0); }
  return normalize(cross(k, axis));
}

// tangents, 4 per interaction: ∂/∂η, ∂/∂S, ∂/∂d of its material, and for a diffraction ∂/∂ηN
// (in the S slot, S does not enter UTD) and ∂/∂dN (4th slot) of the n-face material
var<private> T: array<CV, 32>;
var<private> isDiffraction: array<bool, 8>;

fn segmentIn(i: u32) -> vec4f {
  return vec4f(itFloats[8u * i + 4u], itFloats[8u * i + 5u], itFloats[8u * i + 6u], itFloats[8u * i + 7u]);
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let local = gid.y * (nwg.x * 64u) + gid.x;
  if (local >= P.nPaths) { return; }
  let p = local + P.pathOffset;
  let first = pathInts[2u * p];
  let nInt = pathInts[2u * p + 1u];
  let pf = 16u * p;
  let last = vec4f(pathFloats[pf], pathFloats[pf + 1u], pathFloats[pf + 2u], pathFloats[pf + 15u]);
  var E = CV(vec2f(pathFloats[pf + 3u], pathFloats[pf + 4u]), vec2f(pathFloats[pf + 5u], pathFloats[pf + 6u]),
             vec2f(pathFloats[pf + 7u], pathFloats[pf + 8u]));
  let U = CV(vec2f(pathFloats[pf + 9u], pathFloats[pf + 10u]), vec2f(pathFloats[pf + 11u], pathFloats[pf + 12u]),
             vec2f(pathFloats[pf + 13u], pathFloats[pf + 14u]));

  var spread = 1.0;
  var acc = 0.0;
  var edgeSIn = -1.0; // s′ of the last diffraction (−1: none since the source or a scattering)
  var degenerate = !(last.w > 0.0);
  for (var i = 0u; i < nInt && !degenerate; i++) {
    let g = first + i;
    let sIn = segmentIn(g);
    var sOut = last;
    if (i + 1u < nInt) { sOut = segmentIn(g + 1u); }
    if (!(sIn.w > 0.0)) { degenerate = true; break; }
    let ki = sIn.xyz;
    let ko = sOut.xyz;
    acc += sIn.w;

    let type_ = itInts[4u * g];
    let mi = itInts[4u * g + 1u];
    let scattering = type_ == 2u;
    if (WITH_GRAD) { isDiffraction[i] = type_ == 3u; }
    if (type_ == 3u) {
      // UTD (diffraction.ts): spreading √(s′/(s(s + s′))) between edges, 1/s from a point source
      if (edgeSIn > 0.0) { spread *= sqrt(edgeSIn / (acc * (acc + edgeSIn))); } else { spread = spread / acc; }
      edgeSIn = acc;
      acc = 0.0;
      let r = 24u * itInts[4u * g + 3u];
      let b = Basis(vec3f(diff[r], diff[r + 1u], diff[r + 2u]), vec3f(diff[r + 3u], diff[r + 4u], diff[r + 5u]),
                    vec3f(diff[r + 6u], diff[r + 7u], diff[r + 8u]), vec3f(diff[r + 9u], diff[r + 10u], diff[r + 11u]));
      let G = vec2f(diff[r + 12u], diff[r + 13u]);
      let G0 = vec2f(diff[r + 14u], diff[r + 15u]);
      let GN = vec2f(diff[r + 16u], diff[r + 17u]);
      let mn = itInts[4u * g + 2u];
      // reflection coefficients of the two faces (Luebbers), not scaled by √(1 − S²)
      let r0 = coefficients(vec2f(mats[8u * mi], mats[8u * mi + 1u]), diff[r + 18u], mats[8u * mi + 2u], mats[8u * mi + 5u], false);
      let rn = coefficients(vec2f(mats[8u * mn], mats[8u * mn + 1u]), diff[r + 19u], mats[8u * mn + 2u], mats[8u * mn + 5u], false);
      // c = −diag(D_s, D_h)
      let cs = -(G + cmul(r0.perp.v, G0) + cmul(rn.perp.v, GN));
      let ch = -(G + cmul(r0.par.v, G0) + cmul(rn.par.v, GN));
      if (WITH_GRAD) {
        for (var t = 0u; t < 4u * i; t++) {
          if ((t & 3u) == 3u && !isDiffraction[t >> 2u]) { continue; }
          T[t] = jones(T[t], b, cs, ch, 1.0, 0.0);
        }
        T[4u * i] = jones(E, b, -cmul(r0.perp.e, G0), -cmul(r0.par.e, G0), 1.0, 0.0);
        T[4u * i + 1u] = jones(E, b, -cmul(rn.perp.e, GN), -cmul(rn.par.e, GN), 1.0, 0.0);
        T[4u * i + 2u] = jones(E, b, -cmul(r0.perp.t, G0), -cmul(r0.par.t, G0), 1.0, 0.0);
        T[4u * i + 3u] = jones(E, b, -cmul(rn.perp.t, GN), -cmul(rn.par.t, GN), 1.0, 0.0);
      }
      E = jones(E, b, cs, ch, 1.0, 0.0);
      continue;
    }
    if (scattering) {
      if (edgeSIn > 0.0) { spread *= sqrt(edgeSIn / (acc * (acc + edgeSIn))); } else { spread = spread / acc; }
      acc = 0.0;
      edgeSIn = -1.0;
    }
    var n = vec3f(itFloats[8u * g], itFloats[8u * g + 1u], itFloats[8u * g + 2u]);
    let kn = dot(ki, n);
    if (kn > 0.0) { n = -n; }
    let cosT = min(1.0, abs(kn));
    let pin = perpendicular(ki, n);
    var basis = Basis(pin, cross(pin, ki), pin, cross(pin, ko));
    let eta = vec2f(mats[8u * mi], mats[8u * mi + 1u]);
    let S = mats[8u * mi + 3u];
    let coef = coefficients(eta, cosT, mats[8u * mi + 2u], mats[8u * mi + 5u], type_ == 1u);
    var co = 1.0;
    var xp = 0.0;
    var dco = 0.0; // ∂co/∂S
    var dxp = 0.0; // ∂xp/∂S
    if (type_ == 0u) {
      co = sqrt(max(0.0, 1.0 - S * S));
      if (co > 0.0) { dco = -S / co; }
    } else if (scattering) {
      // √(cos θi·A·f(k̂i, k̂s)) from the host (f64, any pattern)
      let gS = itFloats[8u * g + 3u];
      let kx = mats[8u * mi + 4u];
      dco = gS * sqrt(1.0 - kx);
      dxp = gS * sqrt(kx);
      co = S * dco;
      xp = S * dxp;
      let cs = cross(ko, n);
      let ls = length(cs);
      if (ls > 1e-6) {
        basis.pout = cs / ls;
        basis.qout = cross(basis.pout, ko);
      }
    }
    if (WITH_GRAD) {
      for (var t = 0u; t < 4u * i; t++) {
        if ((t & 3u) == 3u && !isDiffraction[t >> 2u]) { continue; }
        T[t] = jones(T[t], basis, coef.perp.v, coef.par.v, co, xp);
      }
      T[4u * i] = jones(E, basis, coef.perp.e, coef.par.e, co, xp);
      T[4u * i + 1u] = jones(E, basis, coef.perp.v, coef.par.v, dco, dxp);
      T[4u * i + 2u] = jones(E, basis, coef.perp.t, coef.par.t, co, xp);
    }
    E = jones(E, basis, coef.perp.v, coef.par.v, co, xp);
  }
  let o = 2u * p;
  if (degenerate || nInt > MAX_INTERACTIONS) {
    out[o] = 0.0;
    out[o + 1u] = 0.0;
    if (WITH_GRAD) {
      for (var i = 0u; i < min(nInt, MAX_INTERACTIONS); i++) {
        for (var k = 0u; k < 16u; k++) { out[P.gradBase + 16u * (first + i) + k] = 0.0; }
      }
    }
    return;
  }
  acc += last.w;
  if (edgeSIn > 0.0) { spread *= sqrt(edgeSIn / (acc * (acc + edgeSIn))); } else { spread = spread / acc; }
  let s = P.scale * spread;
  // a = s·Uᴴ·E
  let ur = vec3f(U.x.x, U.y.x, U.z.x);
  let ui = vec3f(U.x.y, U.y.y, U.z.y);
  out[o] = s * (dot(ur, vec3f(E.x.x, E.y.x, E.z.x)) + dot(ui, vec3f(E.x.y, E.y.y, E.z.y)));
  out[o + 1u] = s * (dot(ur, vec3f(E.x.y, E.y.y, E.z.y)) - dot(ui, vec3f(E.x.x, E.y.x, E.z.x)));
  if (WITH_GRAD) {
    for (var i = 0u; i < nInt; i++) {
      let gi = P.gradBase + 16u * (first + i);
      for (var k = 0u; k < 4u; k++) {
        var V = CV(vec2f(0.0), vec2f(0.0), vec2f(0.0));
        if (k < 3u || isDiffraction[i]) { V = T[4u * i + k]; }
        let dr = s * (dot(ur, vec3f(V.x.x, V.y.x, V.z.x)) + dot(ui, vec3f(V.x.y, V.y.y, V.z.y)));
        let di = s * (dot(ur, vec3f(V.x.y, V.y.y, V.z.y)) - dot(ui, vec3f(V.x.x, V.y.x, V.z.x)));
        // slot → (material A or B, parameter): 0 ηA, 1 S_A (ηB for diffraction), 2 dA, 3 dB
        var at = gi;
        var isEta = true;
        if (k == 1u) {
          if (isDiffraction[i]) { at = gi + 8u; } else { isEta = false; at = gi + 4u; }
        } else if (k == 2u) {
          isEta = false;
          at = gi + 6u;
        } else if (k == 3u) {
          isEta = false;
          at = gi + 14u;
        }
        out[at] = dr;
        out[at + 1u] = di;
        if (isEta) {
          // ∂a/∂σ = ∂a/∂η·(j·dEtaDSigma)
          out[at + 2u] = -P.dEtaDSigma * di;
          out[at + 3u] = P.dEtaDSigma * dr;
        }
      }
    }
  }
}
