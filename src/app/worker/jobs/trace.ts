import { Channel, channelSettings, type LinkResult } from '../../../engine/channel/index.ts';
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
 * Geometry does not depend on antennas: the links are traced once, then evaluated per pair of
 * antennas (the channel settings with the devices' own antennas, as `rftwin trace --pattern …`
 * would for that pair).
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
  const traced = await channel.trace(
    links.map((l) => ({ tx: l.tx.position, rx: l.rx.position })),
    materials,
    control,
  );
  const groups = new Map<string, number[]>();
  links.forEach((l, i) => {
    const key = JSON.stringify([l.tx.antenna ?? null, l.rx.antenna ?? null]);
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  const results: LinkResult[] = new Array(links.length);
  for (const indices of groups.values()) {
    const { tx, rx } = links[indices[0]!]!;
    const own =
      tx.antenna || rx.antenna
        ? await Channel.open(
            channel.scene,
            channelSettings({
              ...channel.settings,
              txAntenna: tx.antenna ?? channel.settings.txAntenna,
              rxAntenna: rx.antenna ?? channel.settings.rxAntenna,
            }),
            { backend: req.backend, bvh },
          )
        : channel;
    const evaluated = await own.evaluate(
      indices.map((i) => traced[i]!),
      materials,
      control,
    );
    indices.forEach((i, j) => {
      results[i] = evaluated[j]!;
    });
  }
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
    {
      trace,
      extrapolated,
      elapsedMs: performance.now() - t0,
      backend: control.used,
      search: {
        complete: results.every((r) => r.search.complete),
        missRate: results.reduce((m, r) => Math.max(m, r.search.missRate), 0),
      },
    },
    transfer,
  );
}
