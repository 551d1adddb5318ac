export * from './impulseResponse.ts';
export * from './inhOffice.ts';
export * from './linkMetrics.ts';
export * from './linkStats.ts';
export * from './linkStatsModel.ts';
