import { type Device, type RootState, reportError, setStatus, studio } from '../store.ts';
import { engine } from '../worker/bridge.ts';
import type { BeamsRequest, DeviceBeamsText } from '../worker/protocol.ts';
import { channelRequest } from './channelRequest.ts';

/** A device without beams set: one element (a 1-element "array", one beam). */
const SINGLE = { size: '1', codebook: 'dft' };

function beamsText(s: RootState, d: Device | undefined, end: 'tx' | 'rx'): DeviceBeamsText {
  const b = d?.beams ?? SINGLE;
  const element = d?.antenna ?? (end === 'tx' ? s.channelSettings.txAntenna : s.channelSettings.rxAntenna);
  return { size: b.size, codebook: b.codebook, element };
}

/**
 * The beams of a map from transmitter `txId`: that Tx's array and codebook, and the first
 * receiver's (a single element when it has none). Undefined when the Tx has no beams set.
 */
export function mapBeams(s: RootState, txId: string | undefined): BeamsRequest | undefined {
  const tx = s.devices.find((d) => d.id === txId);
  if (!tx?.beams) return undefined;
  const rx = s.devices.find((d) => d.kind === 'rx' && d.beams) ?? s.devices.find((d) => d.kind === 'rx');
  return { tx: beamsText(s, tx, 'tx'), rx: beamsText(s, rx, 'rx') };
}

/** Set (or clear, with null) a device's array and codebook; the beam link shown is dropped. */
export function setDeviceBeams(id: string, beams: { size: string; codebook: string } | null) {
  studio.set((s) => ({
    devices: s.devices.map((d) => (d.id === id ? { ...d, beams: beams ?? undefined } : d)),
    beamLink: null,
  }));
}

let running: AbortController | null = null;

/** Every beam pair of the link between a Tx and an Rx, in the engine worker (as `rftwin beams --matrix`). */
export async function computeBeamLink(txId: string, rxId: string) {
  const s = studio.get();
  const tx = s.devices.find((d) => d.id === txId);
  const rx = s.devices.find((d) => d.id === rxId);
  if (!s.twin || !tx || !rx) return;
  running?.abort();
  const ac = new AbortController();
  running = ac;
  setStatus({ level: 'busy', message: `Beam pairs ${tx.name} → ${rx.name}…`, cancel: () => ac.abort() });
  try {
    const result = await engine().call(
      'beamLink',
      {
        ...channelRequest(s),
        tx: tx.position,
        rx: rx.position,
        beams: { tx: beamsText(s, tx, 'tx'), rx: beamsText(s, rx, 'rx') },
      },
      { signal: ac.signal },
    );
    if (running !== ac) return;
    running = null;
    studio.set({ beamLink: { txId, rxId, result } });
    const b = result.best;
    setStatus({
      level: 'ok',
      message: `Best beams ${tx.name} → ${rx.name}: ${result.txLabels[b.tx]} / ${result.rxLabels[b.rx]}, ${b.gainDb.toFixed(1)} dB, SNR ${b.snrDb.toFixed(1)} dB, ${b.mcs ? `MCS ${b.mcs}, ${b.throughputMbps.toFixed(0)} Mb/s` : 'no MCS'}`,
    });
  } catch (e) {
    if (running === ac) running = null;
    if ((e as Error).name === 'AbortError') setStatus({ level: 'info', message: 'Beam pairs cancelled' });
    else reportError(`Beam pairs failed: ${(e as Error).message}`);
  }
}
