import { evaluatePaths } from '../../../engine/field/index.ts';
import { linkMetrics } from '../../../engine/metrics/index.ts';
import type { Scene } from '../../../engine/scene/index.ts';
import type { Bvh } from '../../../engine/tracer/index.ts';
import { tracePaths } from '../../../engine/tracer/index.ts';
import type { JobContext } from '../engine.worker.ts';
import type { EngineRequests, TracedLinkResult } from '../protocol.ts';
import { materialOfObject, radioParametersOf } from './materials.ts';

type TraceRequest = EngineRequests['trace']['request'];

/**
 * Trace every Tx to all Rx with the CPU reference tracer (geometry), then evaluate fields with
 * the twin's materials and reduce each link to its metrics.
 */
export async function traceJob(
  scene: Scene,
  bvh: Bvh,
  req: TraceRequest,
  ctx: JobContext,
): Promise<EngineRequests['trace']['response']> {
  const t0 = performance.now();
  const { params, extrapolated } = radioParametersOf(req);
  const materialOf = materialOfObject(req);
  const links: TracedLinkResult[] = [];
  const rxPositions = req.rx.map((r) => r.position);
  for (const [k, tx] of req.tx.entries()) {
    const geometries = await tracePaths(scene, bvh, tx.position, rxPositions, req.settings, {
      signal: ctx.signal,
      onProgress: (p) =>
        ctx.progress({
          fraction:
            (k +
              (p.phase === 'receivers'
                ? 0.5 + (0.5 * p.done) / Math.max(1, p.total)
                : (0.5 * p.done) / Math.max(1, p.total))) /
            req.tx.length,
          message: `Tracing ${tx.id}: ${p.phase} ${p.done}/${p.total}`,
        }),
    });
    req.rx.forEach((rx, j) => {
      const paths = evaluatePaths(scene, tx.position, rx.position, geometries[j]!, params, {
        frequencyHz: req.frequencyHz,
        materialOf,
      });
      links.push({
        txId: tx.id,
        rxId: rx.id,
        tx: tx.position,
        rx: rx.position,
        paths,
        metrics: linkMetrics(paths, req.frequencyHz),
      });
    });
  }
  return { links, extrapolated, elapsedMs: performance.now() - t0 };
}
