export * from './impulseResponse.ts';
export * from './inhOffice.ts';
export * from './linkMetrics.ts';
