/**
 * Radio maps on a horizontal grid: computation, metric values, colour map and PNG rendering.
 */
export * from './colormap.ts';
export * from './font.ts';
export * from './grid.ts';
export * from './radioMap.ts';
export * from './renderPng.ts';
