/**
 * Measures how long the page takes to respond to input: from the event's timestamp to the
 * next animation frame after its handlers ran (what a person perceives), and records the
 * main thread's long tasks. The e2e tests (e2e/work.ts) read them to check the structure of
 * responsiveness (no long task, input handled during work); bench/ui.bench.ts reports the figures.
 */
/**
 * `delay`: event timestamp → the page's first handler runs (main thread free to take input);
 * `ms`: event timestamp → next animation frame after the handlers (input visibly handled).
 */
export interface InputLatency {
  type: string;
  delay: number;
  ms: number;
  at: number;
}

/** A main-thread task longer than 50 ms (the browser's 'longtask' entries), in page time (ms). */
export interface LongTask {
  start: number;
  duration: number;
}

/** at most this many records of each kind are kept (the page may run for hours) */
const KEEP = 500;
const keepLast = <T>(record: T[]) => {
  if (record.length > KEEP) record.splice(0, record.length - KEEP);
};

export function installInputLatencyProbe() {
  const record: InputLatency[] = [];
  window.__rftwinInputLatencies = record;
  const onInput = (e: Event) => {
    const start = e.timeStamp;
    const delay = performance.now() - start;
    requestAnimationFrame(() => {
      record.push({ type: e.type, delay, ms: performance.now() - start, at: start });
      keepLast(record);
    });
  };
  for (const type of ['pointerdown', 'keydown']) window.addEventListener(type, onInput, { capture: true });

  // Long tasks: installed at start-up, before any work, so that every task the work causes is
  // seen. A task of hundreds of ms means work runs on the main thread (it blocks input whatever
  // the machine's speed). Browsers without the 'longtask' entry type leave the record empty.
  const tasks: LongTask[] = [];
  window.__rftwinLongTasks = tasks;
  if (PerformanceObserver.supportedEntryTypes?.includes('longtask')) {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
      keepLast(tasks);
    }).observe({ type: 'longtask', buffered: true });
  }
}
