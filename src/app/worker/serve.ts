/// <reference lib="webworker" />

import { reviveCloned } from '../../engine/core/index.ts';
import { type JobContext, WithTransfer } from './jobContext.ts';
import type { FromWorker, RequestMap, ToWorker } from './protocol.ts';

/**
 * The request loop of a studio worker (the engine worker, the vision worker): each request runs
 * as a job with its own AbortSignal, progress messages and, for calibration, pause/resume/stop;
 * the answer keeps the error's name so the page can tell a cancellation from a failure, and a
 * WithTransfer result moves its buffers to the page.
 */

/** A macrotask turn through a MessageChannel (setTimeout would be clamped to 4 ms when nested). */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

export type Handlers<M extends RequestMap<M>> = {
  [K in keyof M]: (
    request: M[K]['request'],
    ctx: JobContext,
  ) => Promise<M[K]['response'] | WithTransfer<M[K]['response']>>;
};

interface Job {
  abort: AbortController;
  /** stop and keep the result so far (calibration), unlike abort which discards it */
  stop: AbortController;
  paused: boolean;
  resumeWaiters: (() => void)[];
}

/** Answer the page's requests with `handlers` (installs the worker's onmessage). */
export function serveJobs<M extends RequestMap<M>>(handlers: Handlers<M>) {
  const jobs = new Map<number, Job>();
  const post = (msg: FromWorker, transfer: Transferable[] = []) =>
    (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);
  self.onmessage = async (e: MessageEvent<ToWorker>) => {
    // points and settings as this thread would have made them (engine/core/cloned.ts: the tracer
    // runs slower on cloned arrays)
    const msg = reviveCloned(e.data);
    if ('cancel' in msg) {
      const job = jobs.get(msg.id);
      job?.abort.abort();
      for (const r of job?.resumeWaiters.splice(0) ?? []) r();
      return;
    }
    if ('control' in msg) {
      const job = jobs.get(msg.id);
      if (!job) return;
      if (msg.control === 'stop') job.stop.abort();
      job.paused = msg.control === 'pause';
      if (!job.paused) for (const r of job.resumeWaiters.splice(0)) r();
      return;
    }
    const job: Job = {
      abort: new AbortController(),
      stop: new AbortController(),
      paused: false,
      resumeWaiters: [],
    };
    jobs.set(msg.id, job);
    const ctx: JobContext = {
      signal: job.abort.signal,
      progress: (progress) => post({ id: msg.id, type: 'progress', progress }),
      whilePaused: () => {
        if (!job.paused || job.abort.signal.aborted) return Promise.resolve();
        post({ id: msg.id, type: 'progress', progress: { message: 'paused', paused: true } });
        return new Promise<void>((r) => job.resumeWaiters.push(r));
      },
      stopSignal: job.stop.signal,
      yieldToEvents,
    };
    try {
      const handler = handlers[msg.kind as keyof M];
      if (!handler) throw new Error(`this worker has no '${msg.kind}' request`);
      const out = await handler(msg.request as M[keyof M]['request'], ctx);
      if (out instanceof WithTransfer) post({ id: msg.id, type: 'result', result: out.value }, out.transfer);
      else post({ id: msg.id, type: 'result', result: out });
    } catch (err) {
      const error =
        err instanceof Error
          ? { name: err.name, message: err.message }
          : { name: 'Error', message: String(err) };
      if (job.abort.signal.aborted) error.name = 'AbortError';
      post({ id: msg.id, type: 'error', error });
    } finally {
      jobs.delete(msg.id);
    }
  };
}
