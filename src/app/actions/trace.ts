import { type Device, reportError, setStatus, studio, useStudio } from '../store.ts';
import { engine } from '../worker/bridge.ts';
import { channelRequest } from './channelRequest.ts';
import { problemsAt } from './devices.ts';

/** What the trace says about devices placed where the physics does not hold (outside the scene, inside a solid). */
export function deviceWarnings(devices: readonly Device[]): string[] {
  return devices.flatMap((d) => problemsAt(d.position).map((p) => `${d.name} is ${p}`));
}

let running: AbortController | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;

/** Trace again shortly after devices, materials or settings change (coalescing drags and typing). */
export function scheduleTrace(delayMs = 120) {
  clearTimeout(timer);
  timer = setTimeout(() => void runTrace(), delayMs);
}

export function cancelTrace() {
  running?.abort();
}

/** Trace all Tx → all Rx in the engine worker; a newer request cancels an older one. */
export async function runTrace() {
  const s = studio.get();
  const tx = s.devices.filter((d) => d.kind === 'tx');
  const rx = s.devices.filter((d) => d.kind === 'rx');
  running?.abort();
  if (!s.twin || tx.length === 0 || rx.length === 0) {
    studio.set({ trace: null, tracing: false });
    return;
  }
  const ac = new AbortController();
  running = ac;
  let lastShown = 0;
  studio.set({ tracing: true });
  setStatus({
    level: 'busy',
    message: `Tracing ${tx.length}×${rx.length} links…`,
    progress: 0,
    cancel: () => ac.abort(),
  });
  try {
    const result = await engine().call(
      'trace',
      {
        ...channelRequest(s),
        tx: tx.map((d) => ({ id: d.id, position: d.position, antenna: d.antenna })),
        rx: rx.map((d) => ({ id: d.id, position: d.position, antenna: d.antenna })),
      },
      {
        signal: ac.signal,
        onProgress: (p) => {
          // the tracer reports per candidate batch: repaint the status at most 10× a second
          // (each repaint is a frame for the software GPU; e2e/10-responsive)
          const now = performance.now();
          if (running !== ac || now - lastShown < 100) return;
          lastShown = now;
          setStatus({ level: 'busy', message: p.message, progress: p.fraction, cancel: () => ac.abort() });
        },
      },
    );
    if (running !== ac) return;
    running = null;
    const links = result.trace.links;
    const paths = result.trace.delay.length;
    const prev = studio.get().selectedLink;
    studio.set({
      trace: {
        compact: result.trace,
        elapsedMs: result.elapsedMs,
        extrapolated: result.extrapolated,
        backend: result.backend,
      },
      tracing: false,
      selectedLink: prev !== null && prev < links.length ? prev : 0,
    });
    const note = result.extrapolated.length
      ? ` · ITU range exceeded, nearest band used for ${result.extrapolated.join(', ')}`
      : '';
    const warnings = deviceWarnings([...tx, ...rx]);
    setStatus({
      level: warnings.length ? 'error' : 'ok',
      message: `Traced ${links.length} links on ${result.backend.label}: ${paths} paths in ${result.elapsedMs.toFixed(0)} ms${note}${
        warnings.length ? ` · warning: ${warnings.join('; ')}` : ''
      }`,
    });
  } catch (e) {
    if (running !== ac) return;
    running = null;
    studio.set({ tracing: false });
    if ((e as Error).name === 'AbortError') setStatus({ level: 'info', message: 'Trace cancelled' });
    else reportError(`Trace failed: ${(e as Error).message}`);
  }
}

/** Re-trace whenever what the paths depend on changes. */
export function installAutoTrace() {
  return useStudio.subscribe((s, prev) => {
    if (
      s.devices !== prev.devices ||
      s.materials !== prev.materials ||
      s.objectMaterial !== prev.objectMaterial ||
      s.frequencyHz !== prev.frequencyHz ||
      s.channelSettings !== prev.channelSettings ||
      s.backendChoice !== prev.backendChoice ||
      s.twin !== prev.twin
    ) {
      scheduleTrace();
    }
  });
}
