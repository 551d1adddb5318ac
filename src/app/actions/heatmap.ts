import { reportError, setStatus, studio } from '../store.ts';
import { engine } from '../worker/bridge.ts';
import { channelRequest } from './channelRequest.ts';

let running: AbortController | null = null;

/** Cancel the radio map being computed (also the status bar's Cancel and Esc). */
export function cancelHeatmap() {
  running?.abort();
}

/**
 * Radio map from the first Tx over a horizontal plane at the device placement height above the
 * scene's floor, in the engine worker (progress and Cancel in the status bar), with the same
 * channel settings as the link trace: a cell and a link at the same point agree.
 */
export async function computeHeatmap() {
  const s = studio.get();
  if (!s.twin) return;
  const tx = s.devices.find((d) => d.kind === 'tx');
  if (!tx) {
    reportError('Radio map needs a transmitter: place a Tx first (T)');
    return;
  }
  running?.abort();
  const ac = new AbortController();
  running = ac;
  const z = s.twin.scene.bbox.min[2] + s.placeHeight;
  let lastShown = 0;
  setStatus({ level: 'busy', message: 'Radio map: starting…', progress: 0, cancel: () => ac.abort() });
  try {
    const map = await engine().call(
      'radioMap',
      {
        ...channelRequest(s),
        tx: tx.position,
        z,
        cellSize: s.heatmapCell,
      },
      {
        signal: ac.signal,
        onProgress: (p) => {
          // a tile finishes every few ms on small maps: repaint the status at most 10× a second
          const now = performance.now();
          if (running !== ac || now - lastShown < 100) return;
          lastShown = now;
          setStatus({ level: 'busy', message: p.message, progress: p.fraction, cancel: () => ac.abort() });
        },
      },
    );
    if (running !== ac) return;
    running = null;
    studio.set({ heatmap: map, heatmapHover: null });
    setStatus({
      level: 'ok',
      message: `Radio map from ${tx.name}: ${map.grid.nx}×${map.grid.ny} cells in ${map.stats.totalMs.toFixed(0)} ms on ${map.backendLabel}`,
    });
  } catch (e) {
    if (running === ac) running = null;
    if ((e as Error).name === 'AbortError') setStatus({ level: 'info', message: 'Radio map cancelled' });
    else reportError(`Radio map failed: ${(e as Error).message}`);
  }
}
