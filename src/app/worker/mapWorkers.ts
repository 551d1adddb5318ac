/** The most Web Workers the studio starts for one map, however many cores the machine reports. */
export const MAX_MAP_WORKERS = 8;

/** The studio's default map workers: every core the browser reports, capped at MAX_MAP_WORKERS. */
export function defaultMapWorkers(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, Math.min(MAX_MAP_WORKERS, Math.floor(nav?.hardwareConcurrency ?? 1) || 1));
}
