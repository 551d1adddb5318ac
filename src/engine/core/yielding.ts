/**
 * Letting the event loop run (progress output, abort signals, other workers' messages) during
 * long work, at most every YIELD_MS: a yield is a timer of ≥ 1 ms in Node (≥ 4 ms when nested in
 * browsers), so yielding after every small piece of work (a 128-cell tile of a radio map) cost
 * more than the piece itself.
 */
export const YIELD_MS = 30;

export class Yielder {
  private last = Date.now();
  /** Yield if YIELD_MS have passed since the last yield; then check the signal. */
  async maybe(signal?: AbortSignal): Promise<void> {
    if (Date.now() - this.last <= YIELD_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    signal?.throwIfAborted();
    this.last = Date.now();
  }
}
