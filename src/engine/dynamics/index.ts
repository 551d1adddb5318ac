/**
 * Dynamics (docs/physics.md §15): actors that move through a twin (human proxy with Gabriel skin,
 * boxes, meshes), their trajectories, frames, the incremental path search, per-path Doppler and
 * timelines of a link.
 */
export * from './absorber.ts';
export * from './actors.ts';
export * from './blockerFit.ts';
export * from './doppler.ts';
export * from './frameScene.ts';
export * from './incremental.ts';
export * from './measuredTrace.ts';
export * from './skin.ts';
export * from './timeline.ts';
export * from './timelineJson.ts';
export * from './trajectory.ts';
