/**
 * Radio maps on a horizontal grid: computation (one transmitter, or the best server of several),
 * metric values, colour range and colour map, PNG rendering, JSON and CSV.
 */
export * from './bestServer.ts';
export * from './colormap.ts';
export * from './colorRange.ts';
export * from './export.ts';
export * from './font.ts';
export * from './grid.ts';
export * from './metrics.ts';
export * from './parts.ts';
export * from './radioMap.ts';
export * from './renderPng.ts';
export * from './tileFile.ts';
