/**
 * The channel pipeline: path geometry → fields → metrics for links (traceLinks).
 */
export * from './traceLinks.ts';
