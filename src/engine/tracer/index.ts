export * from './bvh.ts';
export { adoptCandidates, type SharedCandidates, shareCandidates } from './cpu/sharedCandidates.ts';
export * from './cpu/tracePaths.ts';
export { sceneWedges, type Wedge, type WedgeFrame, wedgeAngle, wedgeFrame } from './cpu/wedges.ts';
export * from './insideSolid.ts';
export * from './path.ts';
export * from './solids.ts';
