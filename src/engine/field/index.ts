/**
 * Field of propagation paths (docs/physics.md §4–8): antennas, the Jones-matrix chain, material
 * coefficients, diffuse scattering, UTD diffraction, and exact material derivatives.
 *
 * - pathFrames.ts: the material-free float64 description of each traced path (segments,
 *   spreading, angles, antenna vectors, interaction bases, scattering and UTD terms), computed once.
 * - coefficients.ts: reflection / transmission coefficients (half-space, slab) with ∂/∂η, ∂/∂d;
 *   the one implementation (gpu/pathField.wgsl is its f32 port).
 * - jonesChain.ts: a of each frame, and ∂a/∂θ in forward mode, allocation-free.
 * - evaluate.ts: the Path-level API (evaluateLinks, evaluatePaths, evaluatePathsJacobian,
 *   evaluatePathsWithGradient).
 * - antenna.ts, scattering.ts, diffraction.ts + fresnelIntegrals.ts: patterns, scattering lobes,
 *   UTD terms.
 */
export * from './antenna.ts';
export * from './coefficients.ts';
export * from './diffraction.ts';
export * from './evaluate.ts';
export * from './fresnelIntegrals.ts';
export * from './jonesChain.ts';
export * from './pathFrames.ts';
export * from './scattering.ts';
