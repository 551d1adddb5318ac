/**
 * Beam management from the twin (docs/physics.md §16): antenna arrays and their steering vectors,
 * codebooks (DFT, sector sweeps, steered beams, user files, switched horn sectors), the
 * beamformed wideband channel of every beam pair from traced paths, exhaustive and two-stage
 * search, the 802.11ad SC link budget and MCS table, and beam radio maps.
 */
export * from './array.ts';
export * from './beamChannel.ts';
export * from './beamLinks.ts';
export * from './beamMap.ts';
export * from './codebook.ts';
export * from './gpu/beamSearchGpu.ts';
export * from './horns.ts';
export * from './mcs.ts';
export * from './spec.ts';
