import { createHash } from 'node:crypto';
import type { RadioMap } from '../src/engine/radiomap/radioMap.ts';

/**
 * SHA-256 of every cell's path gain, path count and delay spread: runs of two checkouts (the
 * radio-map benches' "before" and "now") give the same hash exactly when they give the same map.
 */
export function mapSha256(map: Pick<RadioMap, 'pathGainDb' | 'pathCount' | 'rmsDelaySpreadS'>): string {
  const h = createHash('sha256');
  h.update(Buffer.from(map.pathGainDb.buffer));
  h.update(Buffer.from(map.pathCount.buffer));
  h.update(Buffer.from(map.rmsDelaySpreadS.buffer));
  return h.digest('hex');
}
