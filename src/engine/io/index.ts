/**
 * Measurement and material files: soundings (CSV, JSON), materials / priors JSON, JSON lines.
 */
export * from './jsonLines.ts';
export * from './loadSoundings.ts';
export * from './materialsJson.ts';
export * from './soundings.ts';
export * from './soundingsJson.ts';
