import { useEffect, useRef, useState } from 'react';
import { CODEBOOK_SYNTAX, parseArraySize, parseCodebookSpec } from '../../engine/beams/index.ts';
import { computeBeamLink, setDeviceBeams } from '../actions/beams.ts';
import { viridis } from '../colors.ts';
import { useStudio } from '../store.ts';
import type { BeamLinkResponse } from '../worker/protocol.ts';

/**
 * Beams (docs/physics.md §16): the selected device's antenna array (NY×NZ of its own element,
 * λ/2 apart, turned by its orientation) and codebook; for a Tx–Rx link, every beam pair's
 * wideband gain as a heatmap, the best pair with its SNR, 802.11ad MCS and throughput, and its Tx
 * lobe drawn in the viewport. A Tx with an array makes the radio map a beam map (best beam, SNR,
 * MCS, throughput).
 */
export function BeamPanel() {
  const device = useStudio((s) => s.devices.find((d) => d.id === s.selectedDeviceId));
  const devices = useStudio((s) => s.devices);
  const link = useStudio((s) => s.beamLink);
  const [size, setSize] = useState('8x8');
  const [codebook, setCodebook] = useState('dft');
  const [problem, setProblem] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the fields reset when another device is selected
  useEffect(() => {
    setSize(device?.beams?.size ?? (device?.kind === 'rx' ? '4x4' : '8x8'));
    setCodebook(device?.beams?.codebook ?? 'dft');
    setProblem(null);
  }, [device?.id, device?.beams, device?.kind]);
  const txs = devices.filter((d) => d.kind === 'tx');
  const rxs = devices.filter((d) => d.kind === 'rx');
  const [txId, setTxId] = useState<string>('');
  const [rxId, setRxId] = useState<string>('');
  const tx = txs.find((d) => d.id === txId) ?? txs[0];
  const rx = rxs.find((d) => d.id === rxId) ?? rxs[0];
  const apply = () => {
    if (!device) return;
    const s = parseArraySize(size);
    if (typeof s === 'string') return setProblem(s);
    const c = parseCodebookSpec(codebook);
    if (typeof c === 'string') return setProblem(c);
    if (c.kind === 'file')
      return setProblem(
        'codebook files are read by rftwin beams; here: dft, sectors:K, horns:K, steer:x,y,z',
      );
    setProblem(null);
    setDeviceBeams(device.id, { size: size.trim(), codebook: codebook.trim() });
  };
  return (
    <section className="panel" aria-label="Beams" data-testid="beam-panel">
      <h2>Beams</h2>
      {device ? (
        <>
          <div className="row">
            <span className="inline">
              {device.name} array
              <input
                aria-label="array size (NY x NZ elements)"
                data-testid="beam-size"
                value={size}
                onChange={(e) => setSize(e.currentTarget.value)}
                style={{ width: 56 }}
              />
            </span>
            <span className="inline">
              codebook
              <input
                aria-label={`codebook (${CODEBOOK_SYNTAX})`}
                data-testid="beam-codebook"
                value={codebook}
                onChange={(e) => setCodebook(e.currentTarget.value)}
                style={{ width: 90 }}
              />
            </span>
          </div>
          <div className="row">
            <button type="button" data-testid="beam-apply" onClick={apply}>
              Set array
            </button>
            {device.beams ? (
              <button type="button" data-testid="beam-clear" onClick={() => setDeviceBeams(device.id, null)}>
                Single element
              </button>
            ) : null}
            <span className="muted" data-testid="beam-device-state">
              {device.beams ? `${device.beams.size}, ${device.beams.codebook}` : 'single element'}
            </span>
          </div>
          {problem ? (
            <p className="error" role="alert" data-testid="beam-problem">
              {problem}
            </p>
          ) : null}
        </>
      ) : (
        <p className="muted">Select a device to give it an antenna array and a codebook.</p>
      )}
      <div className="row">
        <select
          aria-label="beam link transmitter"
          value={tx?.id ?? ''}
          onChange={(e) => setTxId(e.currentTarget.value)}
          style={{ width: 'auto' }}
        >
          {txs.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        →
        <select
          aria-label="beam link receiver"
          value={rx?.id ?? ''}
          onChange={(e) => setRxId(e.currentTarget.value)}
          style={{ width: 'auto' }}
        >
          {rxs.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-testid="beam-pairs"
          disabled={!tx || !rx}
          onClick={() => tx && rx && void computeBeamLink(tx.id, rx.id)}
        >
          Beam pairs
        </button>
      </div>
      {link ? <GainMatrix result={link.result} /> : null}
    </section>
  );
}

/** The beam-pair gain matrix: Tx beams down, Rx beams across, colour = wideband gain (dB). */
function GainMatrix({ result }: { result: BeamLinkResponse }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const nt = result.txLabels.length;
  const nr = result.rxLabels.length;
  const finite = Array.from(result.gainDb).filter(Number.isFinite);
  const hi = finite.length ? Math.max(...finite) : 0;
  const lo = Math.max(hi - 40, finite.length ? Math.min(...finite) : -1);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const img = ctx.createImageData(nr, nt);
    for (let t = 0; t < nt; t++)
      for (let r = 0; r < nr; r++) {
        const g = result.gainDb[t * nr + r]!;
        const [R, G, B] = Number.isFinite(g)
          ? viridis(Math.max(0, Math.min(1, (g - lo) / (hi - lo || 1))))
          : [160, 160, 160];
        const k = 4 * (t * nr + r);
        img.data[k] = R;
        img.data[k + 1] = G;
        img.data[k + 2] = B;
        img.data[k + 3] = 255;
      }
    c.width = nr;
    c.height = nt;
    ctx.putImageData(img, 0, 0);
  }, [result, nt, nr, lo, hi]);
  const b = result.best;
  const canvasHeight = Math.max(60, Math.min(300, (200 * nt) / nr));
  return (
    <div data-testid="beam-matrix">
      <p data-testid="beam-best">
        best pair {result.txLabels[b.tx]} / {result.rxLabels[b.rx]}: {b.gainDb.toFixed(1)} dB, SNR{' '}
        {b.snrDb.toFixed(1)} dB,{' '}
        {b.mcs ? `MCS ${b.mcs}, ${b.throughputMbps.toFixed(0)} Mb/s` : 'below MCS 1 (no link)'}
      </p>
      <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end' }}>
        <div>
          <div className="muted">
            Tx beam (rows, {nt}) × Rx beam (columns, {nr})
          </div>
          <canvas
            ref={canvas}
            data-testid="beam-matrix-canvas"
            aria-label={`beam-pair gain matrix, ${nt} Tx beams by ${nr} Rx beams, dB`}
            style={{
              width: 200,
              height: canvasHeight,
              imageRendering: 'pixelated',
            }}
          />
        </div>
        <div
          data-testid="beam-matrix-legend"
          style={{
            display: 'flex',
            flexDirection: 'column',
            justifyContent: 'space-between',
            height: canvasHeight,
          }}
        >
          <span>{hi.toFixed(1)} dB</span>
          <span
            style={{
              flex: 1,
              width: 12,
              background: `linear-gradient(to top, rgb(${viridis(0).join(',')}), rgb(${viridis(0.5).join(',')}), rgb(${viridis(1).join(',')}))`,
            }}
          />
          <span>{lo.toFixed(1)} dB</span>
        </div>
      </div>
      <p className="muted">wideband gain per pair (path gain, elements, both beams), docs/physics.md §16</p>
    </div>
  );
}
