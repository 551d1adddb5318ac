import { useMemo } from 'react';
import type { Vec3 } from '../../engine/core/index.ts';
import { problemsAt, removeDevice, togglePlacing, updateDevice } from '../actions/devices.ts';
import { studio, useStudio } from '../store.ts';
import { between, positionCheck } from '../validation.ts';
import { AddDeviceForm } from './AddDeviceForm.tsx';
import { AntennaPanel } from './AntennaPanel.tsx';
import { NumberField } from './NumberField.tsx';

/**
 * A device coordinate: refused with the reason next to it when it is not a number or lies
 * outside the scene's bounds plus a margin (validation.ts); the device moves only on a valid value.
 */
function CoordInput({
  value,
  onChange,
  label,
  axis,
}: {
  value: number;
  onChange: (v: number) => void;
  label: string;
  axis: 0 | 1 | 2;
}) {
  const scene = useStudio((s) => s.twin?.scene);
  const check = useMemo(() => (scene ? positionCheck(scene, axis) : undefined), [scene, axis]);
  return (
    <NumberField
      label={label}
      value={value}
      check={check}
      onCommit={onChange}
      format={(v) => String(Number(v.toFixed(2)))}
      width={46}
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
        <span className="inline" title="Height above the clicked floor">
          h
          <NumberField
            label="placement height (m)"
            testId="place-height"
            value={placeHeight}
            check={between(0, 100, ' m', 'the placement height')}
            onCommit={(v) => studio.set({ placeHeight: v })}
            width={40}
          />
          m
        </span>
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
                      axis={k as 0 | 1 | 2}
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
