// Field of propagation paths and its exact material derivatives, one invocation per path: the f32
// port of field/jonesChain.ts on the frames of field/pathFrames.ts (the host packs them; the
// structs PathRecord, InteractionRecord, MaterialRecord and the constants MAX_INTERACTIONS and
// CONDUCTOR_LOSS_TANGENT are declared by fieldKernel.ts from one TypeScript layout).
//
// a = amplitude·C_Rᴴ·M_n⋯M_1·C_T; each M_i maps the field between the interaction's host bases
// with its material's coefficients (the port of field/coefficients.ts below). Derivatives in
// forward mode (WITH_GRAD): every complex quantity that depends on a material is a dual number
// (value, ∂/∂η, ∂/∂d), and each interaction seeds up to five tangent fields — ∂/∂η, ∂/∂S, ∂/∂d of
// its material, ∂/∂η, ∂/∂d of an edge's n-face material — that the later interactions map like the
// field. Output per interaction: ∂a for the five seeds (zero where not applicable); the host or
// linkStats.wgsl folds them into parameter columns (∂/∂σ = ∂/∂η·(−j/(ε0ω))).

override WITH_GRAD: bool = false;

struct Params {
  nPaths: u32,
  pathOffset: u32,
  k0: f32,       // 2π/λ
  slab: u32,     // 1: slab model, 0: half-space
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> paths: array<PathRecord>;
@group(0) @binding(2) var<storage, read> its: array<InteractionRecord>;
@group(0) @binding(3) var<storage, read> mats: array<MaterialRecord>;
// a per path
@group(0) @binding(4) var<storage, read_write> outA: array<vec2f>;
// ∂a per interaction and seed (5 per interaction; WITH_GRAD only)
@group(0) @binding(5) var<storage, read_write> outD: array<vec2f>;

const PI: f32 = 3.14159265358979;
const SEEDS: u32 = 5u;

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
// cosSinTurns(t): (cos 2πt, sin 2πt) to ~1 ulp, from gpu/turns.wgsl (prepended by the host)

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

// field/coefficients.ts surfaceCoefficients, with derivatives; sRef and turnsRef are the slab
// phase reference of this interaction and material (fieldKernel.ts setReference)
fn coefficients(m: MaterialRecord, c: f32, transmission: bool, sRef: vec2f, turnsRef: f32) -> Coef {
  let eta = m.eta;
  let isSlab = P.slab == 1u;
  // no transmission through a half-space (no far side) or a conductor (coefficients.ts isConductor)
  if (transmission && (!isSlab || -eta.y >= f32(CONDUCTOR_LOSS_TANGENT) * eta.x)) {
    let zero = dconst(vec2f(0.0));
    return Coef(zero, zero);
  }
  let sv = csqrt(vec2f(eta.x - (1.0 - c * c), eta.y));
  var se = vec2f(0.0);
  if (sv.x != 0.0 || sv.y != 0.0) { se = cdiv(vec2f(0.5, 0.0), sv); }
  let s = D(sv, se, vec2f(0.0));
  let cd = dconst(vec2f(c, 0.0));
  let ec = D(eta * c, vec2f(c, 0.0), vec2f(0.0));
  let rp = ddiv(dsub(cd, s), dadd(cd, s));
  let ra = ddiv(dsub(ec, s), dadd(ec, s));
  if (!isSlab) { return Coef(rp, ra); }
  // q = k0·d·s; E1 = e^{−jq} = e^{Im q}(cos Re q − j sin Re q). Im q ≤ 0 (Im η ≤ 0), so the
  // exponential only underflows (to 0: thick metal), never overflows; then cos/sin of a huge
  // Re q are irrelevant and skipped.
  let kd = P.k0 * m.thickness;
  let qv = kd * sv;
  let mag = exp(qv.y);
  var e1v = vec2f(0.0);
  if (mag > 0.0) {
    // Re q is tens to hundreds of radians: in turns, the host's f64 reference plus the change
    // (d/λ)·Re(s − s₀) + ((d − d_ref)/λ)·Re s₀, with s − s₀ = (η − η_ref)/(s + s₀)
    let ds = cdiv(m.etaChange, sv + sRef);
    let turns = turnsRef + m.dOverLambda * ds.x + m.thicknessChangeOverLambda * sRef.x;
    let cs = cosSinTurns(turns - floor(turns));
    e1v = mag * vec2f(cs.x, -cs.y);
  }
  // ∂E1 = −j·E1·∂q, ∂q/∂η = k0·d·∂s/∂η, ∂q/∂d = k0·s
  let mj = -jmul(e1v);
  let e1 = D(e1v, cmul(mj, kd * se), cmul(mj, P.k0 * sv));
  let e2 = dmul(e1, e1);
  return Coef(slab(rp, e1, e2, transmission), slab(ra, e1, e2, transmission));
}

// complex 3-vector and a 2×2 complex map [c11, c12, c21, c22]
struct CV { x: vec2f, y: vec2f, z: vec2f, }
struct M2 { c11: vec2f, c12: vec2f, c21: vec2f, c22: vec2f, }

fn dotRC(r: vec3f, v: CV) -> vec2f { return r.x * v.x + r.y * v.y + r.z * v.z; }

// E_out = Σ C_kl·out_k·(in_l·E) in the interaction's bases
fn apply(E: CV, I: InteractionRecord, c: M2) -> CV {
  let p1 = dotRC(I.in1.xyz, E);
  let p2 = dotRC(I.in2.xyz, E);
  let q1 = cmul(c.c11, p1) + cmul(c.c12, p2);
  let q2 = cmul(c.c21, p1) + cmul(c.c22, p2);
  let u = I.out1.xyz;
  let w = I.out2.xyz;
  return CV(u.x * q1 + w.x * q2, u.y * q1 + w.y * q2, u.z * q1 + w.z * q2);
}

fn diag(a: vec2f, b: vec2f) -> M2 { return M2(a, vec2f(0.0), vec2f(0.0), b); }
// scattering: [[co·r⊥, j·xp·r∥], [j·xp·r⊥, co·r∥]]
fn xpd(perp: vec2f, par: vec2f, co: f32, xp: f32) -> M2 {
  return M2(co * perp, xp * jmul(par), xp * jmul(perp), co * par);
}

// seeds of interaction i: 0 ηA, 1 S_A, 2 d_A, 3 ηB, 4 d_B (edges)
var<private> T: array<CV, MAX_INTERACTIONS * 5u>;
var<private> seeded: array<u32, MAX_INTERACTIONS>; // bit k: seed k exists

fn project(U: CV, X: CV, amp: f32) -> vec2f {
  // amp·conj(U)·X
  let re = dot(vec3f(U.x.x, U.y.x, U.z.x), vec3f(X.x.x, X.y.x, X.z.x)) + dot(vec3f(U.x.y, U.y.y, U.z.y), vec3f(X.x.y, X.y.y, X.z.y));
  let im = dot(vec3f(U.x.x, U.y.x, U.z.x), vec3f(X.x.y, X.y.y, X.z.y)) - dot(vec3f(U.x.y, U.y.y, U.z.y), vec3f(X.x.x, X.y.x, X.z.x));
  return amp * vec2f(re, im);
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let local = gid.y * (nwg.x * 64u) + gid.x;
  if (local >= P.nPaths) { return; }
  let p = local + P.pathOffset;
  let path = paths[p];
  let n = path.count;
  // paths longer than the kernel's arrays are evaluated by the host (fieldKernel.ts hostPaths)
  if (path.amplitude == 0.0 || n > MAX_INTERACTIONS) {
    outA[p] = vec2f(0.0);
    if (WITH_GRAD) {
      for (var i = 0u; i < min(n, MAX_INTERACTIONS); i++) {
        for (var k = 0u; k < SEEDS; k++) { outD[SEEDS * (path.first + i) + k] = vec2f(0.0); }
      }
    }
    return;
  }
  var E = CV(path.tx0, path.tx1, path.tx2);
  for (var i = 0u; i < n; i++) {
    let I = its[path.first + i];
    let mA = mats[I.materialA];
    var c: M2;
    // derivative maps of the seeds (WITH_GRAD)
    var dEta: M2;
    var dS: M2;
    var dD: M2;
    var dEtaB: M2;
    var dDB: M2;
    var seeds = 0u;
    if (I.kind == 3u) {
      // diffraction: C = −diag(D_s, D_h), D = G + R0·G0 + Rn·GN (faces' reflection coefficients,
      // not scaled by √(1 − S²))
      let mB = mats[I.materialB];
      let r0 = coefficients(mA, I.cosA, false, I.sRefA, I.turnsRefA);
      let rn = coefficients(mB, I.cosB, false, I.sRefB, I.turnsRefB);
      let G = I.term0;
      let G0 = I.term1;
      let GN = I.term2;
      c = diag(-(G + cmul(r0.perp.v, G0) + cmul(rn.perp.v, GN)), -(G + cmul(r0.par.v, G0) + cmul(rn.par.v, GN)));
      if (WITH_GRAD) {
        dEta = diag(-cmul(r0.perp.e, G0), -cmul(r0.par.e, G0));
        dD = diag(-cmul(r0.perp.t, G0), -cmul(r0.par.t, G0));
        dEtaB = diag(-cmul(rn.perp.e, GN), -cmul(rn.par.e, GN));
        dDB = diag(-cmul(rn.perp.t, GN), -cmul(rn.par.t, GN));
        seeds = 0x1du; // 0, 2, 3, 4
      }
    } else {
      let coef = coefficients(mA, I.cosA, I.kind == 1u, I.sRefA, I.turnsRefA);
      if (I.kind == 1u) {
        c = diag(coef.perp.v, coef.par.v);
        if (WITH_GRAD) {
          dEta = diag(coef.perp.e, coef.par.e);
          dD = diag(coef.perp.t, coef.par.t);
          seeds = 0x5u; // 0, 2
        }
      } else if (I.kind == 0u) {
        // √(1 − S²)·diag(r⊥, r∥); ∂/∂S = −S/√(1 − S²)·diag(r⊥, r∥)
        let sc = sqrt(max(0.0, 1.0 - mA.S * mA.S));
        c = diag(sc * coef.perp.v, sc * coef.par.v);
        if (WITH_GRAD) {
          var dsc = 0.0;
          if (sc > 0.0) { dsc = -mA.S / sc; }
          dEta = diag(sc * coef.perp.e, sc * coef.par.e);
          dD = diag(sc * coef.perp.t, sc * coef.par.t);
          dS = diag(dsc * coef.perp.v, dsc * coef.par.v);
          seeds = 0x7u; // 0, 1, 2
        }
      } else {
        // scattering: S·√(cos θi·A·f)·X·diag(r⊥, r∥) (host factor in term0.x)
        let g = I.term0.x;
        let co = g * sqrt(1.0 - mA.kx);
        let xp = g * sqrt(mA.kx);
        c = xpd(coef.perp.v, coef.par.v, mA.S * co, mA.S * xp);
        if (WITH_GRAD) {
          dEta = xpd(coef.perp.e, coef.par.e, mA.S * co, mA.S * xp);
          dD = xpd(coef.perp.t, coef.par.t, mA.S * co, mA.S * xp);
          dS = xpd(coef.perp.v, coef.par.v, co, xp);
          seeds = 0x7u;
        }
      }
    }
    if (WITH_GRAD) {
      // earlier tangents through this map, then this interaction's seeds from the field before it
      for (var j = 0u; j < i; j++) {
        for (var k = 0u; k < SEEDS; k++) {
          if ((seeded[j] & (1u << k)) != 0u) { T[SEEDS * j + k] = apply(T[SEEDS * j + k], I, c); }
        }
      }
      seeded[i] = seeds;
      let b = SEEDS * i;
      if ((seeds & 1u) != 0u) { T[b] = apply(E, I, dEta); }
      if ((seeds & 2u) != 0u) { T[b + 1u] = apply(E, I, dS); }
      if ((seeds & 4u) != 0u) { T[b + 2u] = apply(E, I, dD); }
      if ((seeds & 8u) != 0u) { T[b + 3u] = apply(E, I, dEtaB); }
      if ((seeds & 16u) != 0u) { T[b + 4u] = apply(E, I, dDB); }
    }
    E = apply(E, I, c);
  }
  let U = CV(path.rx0, path.rx1, path.rx2);
  outA[p] = project(U, E, path.amplitude);
  if (WITH_GRAD) {
    for (var i = 0u; i < n; i++) {
      for (var k = 0u; k < SEEDS; k++) {
        var d = vec2f(0.0);
        if ((seeded[i] & (1u << k)) != 0u) { d = project(U, T[SEEDS * i + k], path.amplitude); }
        outD[SEEDS * (path.first + i) + k] = d;
      }
    }
  }
}
