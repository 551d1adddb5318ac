import type { Scene } from '../../../engine/scene/index.ts';
import type { Bvh } from '../../../engine/tracer/index.ts';
import { encodeTrace } from '../compactTrace.ts';
import { type JobContext, WithTransfer } from '../jobContext.ts';
import type { EngineRequests } from '../protocol.ts';
import { channelFor, recordBackend } from './channel.ts';

type TraceRequest = EngineRequests['trace']['request'];

/**
 * Every Tx to every Rx through the channel pipeline (the CLI's `rftwin trace` with the same
 * settings gives the same paths and numbers); the result crosses back as transferred typed arrays.
 */
export async function traceJob(
  scene: Scene,
  bvh: Bvh,
  req: TraceRequest,
  ctx: JobContext,
): Promise<WithTransfer<EngineRequests['trace']['response']>> {
  const t0 = performance.now();
  const { channel, materials, extrapolated } = await channelFor(scene, bvh, req);
  const links = req.tx.flatMap((tx) => req.rx.map((rx) => ({ tx, rx })));
  const control = recordBackend({
    signal: ctx.signal,
    onProgress: (p) =>
      ctx.progress({
        fraction:
          p.phase === 'receivers'
            ? 0.1 + (0.9 * p.done) / Math.max(1, p.total)
            : (0.1 * p.done) / Math.max(1, p.total),
        message: `Tracing ${links.length} links: ${p.phase} ${p.done}/${p.total}`,
      }),
  });
  const results = await channel.traceLinks(
    links.map((l) => ({ tx: l.tx.position, rx: l.rx.position })),
    materials,
    control,
  );
  const { trace, transfer } = encodeTrace(
    results.map((r, i) => ({
      txId: links[i]!.tx.id,
      rxId: links[i]!.rx.id,
      tx: r.tx,
      rx: r.rx,
      metrics: r.metrics,
      nearField: r.nearField,
      paths: r.paths,
    })),
  );
  return new WithTransfer(
    { trace, extrapolated, elapsedMs: performance.now() - t0, backend: control.used },
    transfer,
  );
}
