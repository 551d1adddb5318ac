/**
 * Measures how long the page takes to respond to input: from the event's timestamp to the
 * next animation frame after its handlers ran (what a person perceives). The e2e test reads
 * window.__rftwinInputLatencies while a radio map computes to prove the page stays responsive.
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

export function installInputLatencyProbe() {
  const record: InputLatency[] = [];
  window.__rftwinInputLatencies = record;
  const onInput = (e: Event) => {
    const start = e.timeStamp;
    const delay = performance.now() - start;
    requestAnimationFrame(() => {
      record.push({ type: e.type, delay, ms: performance.now() - start, at: start });
      if (record.length > 500) record.splice(0, record.length - 500);
    });
  };
  for (const type of ['pointerdown', 'keydown']) window.addEventListener(type, onInput, { capture: true });
}
