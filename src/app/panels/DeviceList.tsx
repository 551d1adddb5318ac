import { useMemo } from 'react';
import type { Vec3 } from '../../engine/core/index.ts';
import { problemsAt, removeDevice, togglePlacing, updateDevice } from '../actions/devices.ts';
import { studio, useStudio } from '../store.ts';
import { AddDeviceForm } from './AddDeviceForm.tsx';
import { AntennaPanel } from './AntennaPanel.tsx';

function CoordInput({
  value,
  onChange,
  label,
}: {
  value: number;
  onChange: (v: number) => void;
  label: string;
}) {
  return (
    <input
      type="number"
      step={0.1}
      aria-label={label}
      value={Number(value.toFixed(2))}
      onChange={(e) => {
        const v = e.currentTarget.valueAsNumber;
        if (Number.isFinite(v)) onChange(v);
      }}
    />
  );
}

/** Transmitters and receivers: place with the mouse (T / R), edit coordinates, remove. */
export function DeviceList() {
  const devices = useStudio((s) => s.devices);
  const selected = useStudio((s) => s.selectedDeviceId);
  const placing = useStudio((s) => s.placing);
  const placeHeight = useStudio((s) => s.placeHeight);
  const twin = useStudio((s) => s.twin);
  // positions the physics does not hold: outside the scene's bounds, inside a solid
  const problems = useMemo(() => (twin ? devices.map((d) => problemsAt(d.position)) : []), [devices, twin]);
  return (
    <section className="panel" aria-label="Devices">
      <h2>Devices</h2>
      <div className="row">
        <button
          type="button"
          className={placing === 'tx' ? 'active' : ''}
          onClick={() => togglePlacing('tx')}
          data-testid="place-tx"
          title="Place transmitter (T)"
        >
          + Tx <kbd>T</kbd>
        </button>
        <button
          type="button"
          className={placing === 'rx' ? 'active' : ''}
          onClick={() => togglePlacing('rx')}
          data-testid="place-rx"
          title="Place receiver (R)"
        >
          + Rx <kbd>R</kbd>
        </button>
        <label className="inline" title="Height above the clicked floor">
          h
          <input
            type="number"
            step={0.1}
            min={0}
            value={placeHeight}
            aria-label="placement height (m)"
            onChange={(e) =>
              Number.isFinite(e.currentTarget.valueAsNumber) &&
              studio.set({ placeHeight: e.currentTarget.valueAsNumber })
            }
          />
          m
        </label>
      </div>
      <AddDeviceForm />
      {devices.length === 0 ? (
        <p className="dim">No devices. Press T or R, then click in the scene.</p>
      ) : (
        <table className="devices" data-testid="device-list">
          <thead>
            <tr>
              <th />
              <th>x</th>
              <th>y</th>
              <th>z</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {devices.map((d, i) => (
              <tr
                key={d.id}
                className={`${d.id === selected ? 'selected' : ''}${problems[i]?.length ? ' flagged' : ''}`}
                data-position={d.position.join(',')}
                data-name={d.name}
                onClick={() => studio.set({ selectedDeviceId: d.id, selection: null })}
              >
                <td className={`dev-${d.kind}`}>
                  {d.name}
                  {problems[i]?.length ? (
                    <span
                      className="device-flag"
                      data-testid="device-flag"
                      role="img"
                      aria-label={`${d.name}: ${problems[i]!.join('; ')}`}
                      title={`${d.name} is ${problems[i]!.join('; ')}: its links are traced, but the physics assumes free space around it`}
                    >
                      {' '}
                      ⚠ {problems[i]!.map((p) => (p.startsWith('outside') ? 'outside' : p)).join(', ')}
                    </span>
                  ) : null}
                </td>
                {[0, 1, 2].map((k) => (
                  <td key={k}>
                    <CoordInput
                      label={`${d.name} ${'xyz'[k]}`}
                      value={d.position[k]!}
                      onChange={(v) => {
                        const p = [...d.position] as Vec3;
                        p[k] = v;
                        updateDevice(d.id, { position: p });
                      }}
                    />
                  </td>
                ))}
                <td>
                  <button
                    type="button"
                    className="icon"
                    aria-label={`remove ${d.name}`}
                    onClick={() => removeDevice(d.id)}
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AntennaPanel />
    </section>
  );
}
