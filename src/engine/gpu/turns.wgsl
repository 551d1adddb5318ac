// Shared WGSL: prepended by the hosts of pathField.wgsl and beams/gpu/beamResponses.wgsl.
// (cos 2πt, sin 2πt) to ~1 ulp: WGSL's cos/sin only promise an absolute error of 2⁻¹¹ on
// [−π, π] (SwiftShader and GPUs use fast approximations), which left the slab's e^{−jq} off by
// ~5e-4 and path gains by up to 5e-3 dB. Quadrant from 4t, then Taylor polynomials on
// |x| ≤ π/4 (terms to x⁹ / x⁸: truncation < 1e-9).
fn cosSinTurns(t: f32) -> vec2f {
  let u = 4.0 * t;
  let q = round(u);
  let x = (u - q) * 1.5707963267948966;
  let x2 = x * x;
  let s = x * (1.0 + x2 * (-1.0 / 6.0 + x2 * (1.0 / 120.0 + x2 * (-1.0 / 5040.0 + x2 * (1.0 / 362880.0)))));
  let c = 1.0 + x2 * (-0.5 + x2 * (1.0 / 24.0 + x2 * (-1.0 / 720.0 + x2 * (1.0 / 40320.0))));
  let k = i32(q) & 3;
  if (k == 0) { return vec2f(c, s); }
  if (k == 1) { return vec2f(-s, c); }
  if (k == 2) { return vec2f(-c, -s); }
  return vec2f(s, -c);
}
