import type { Progress } from './protocol.ts';

/** What a job of the engine worker gets from it. */
export interface JobContext {
  signal: AbortSignal;
  progress: (p: Progress) => void;
  /**
   * resolves immediately unless the job is paused; then it posts a `paused` progress (the
   * acknowledgement the page shows) and resolves when the job is resumed (or cancelled)
   */
  whilePaused: () => Promise<void>;
  /** aborted when the person stops the job and wants its result so far */
  stopSignal: AbortSignal;
  /** one turn of the worker's event loop, so that pause/stop/cancel messages are received */
  yieldToEvents: () => Promise<void>;
}

/**
 * A job result whose typed arrays move to the page instead of being copied (radio maps, traces):
 * posting it costs the page no structured clone of large data. The buffers are the result's own,
 * never the worker's cached state.
 */
export class WithTransfer<T> {
  constructor(
    readonly value: T,
    readonly transfer: ArrayBuffer[],
  ) {}
}
