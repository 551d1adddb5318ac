import type { Vec3 } from '../../engine/core/index.ts';
import { type Device, newDeviceId, reportError, setStatus, studio } from '../store.ts';
import { engine } from '../worker/bridge.ts';
import { channelRequest } from './channelRequest.ts';

export interface PlanSettings {
  count: number;
  /** grid spacing of the candidate receiver positions (m) */
  spacing: number;
  parameterNames: ('conductivity' | 'relative_permittivity' | 'scattering_coefficient')[];
}

let running: AbortController | null = null;

/**
 * Measurement planning: ask the engine worker which receiver positions (grid over the floor at
 * the placement height) would tell most about the twin's materials when sounded from the
 * current transmitters; the suggestions are drawn in the viewport and listed.
 */
export async function suggestRxPositions(settings: PlanSettings) {
  const s = studio.get();
  if (!s.twin) return;
  const tx = s.devices.filter((d) => d.kind === 'tx').map((d) => d.position);
  if (tx.length === 0) {
    reportError('Planning needs a transmitter: place a Tx first (T)');
    return;
  }
  running?.abort();
  const ac = new AbortController();
  running = ac;
  studio.set({ suggestedRx: [] });
  setStatus({ level: 'busy', message: 'Planning: starting…', progress: 0, cancel: () => ac.abort() });
  try {
    const r = await engine().call(
      'planRx',
      {
        ...channelRequest(s),
        tx,
        count: settings.count,
        rxHeight: s.placeHeight,
        spacing: settings.spacing,
        parameterNames: settings.parameterNames,
      },
      {
        signal: ac.signal,
        onProgress: (p) => {
          if (running === ac)
            setStatus({ level: 'busy', message: p.message, progress: p.fraction, cancel: () => ac.abort() });
        },
      },
    );
    if (running !== ac) return;
    running = null;
    studio.set({ suggestedRx: r.suggestions });
    setStatus({
      level: 'ok',
      message: `Planning: ${r.suggestions.length} of ${r.candidates} receiver positions suggested, ${r.informationBits.toFixed(1)} bits on ${r.parameters} parameters (random picks: ${r.randomInformationBits.toFixed(1)} bits) in ${(r.elapsedMs / 1000).toFixed(1)} s`,
    });
  } catch (e) {
    if (running === ac) running = null;
    if ((e as Error).name === 'AbortError') setStatus({ level: 'info', message: 'Planning cancelled' });
    else reportError(`Planning failed: ${(e as Error).message}`);
  }
}

/** Add suggested positions as receivers (and drop them from the suggestions). */
export function addSuggestedRx(positions: Vec3[]) {
  const s = studio.get();
  let count = s.devices.filter((d) => d.kind === 'rx').length;
  const added: Device[] = positions.map((position) => {
    count += 1;
    return { id: newDeviceId('rx'), kind: 'rx', name: `Rx ${count}`, position: [...position] as Vec3 };
  });
  const key = (p: Vec3) => p.join(',');
  const taken = new Set(positions.map(key));
  studio.set({
    devices: [...s.devices, ...added],
    suggestedRx: s.suggestedRx.filter((q) => !taken.has(key(q.position))),
  });
  setStatus({ level: 'ok', message: `Added ${added.length} suggested receiver(s)` });
}
