import { useState } from 'react';
import type { Vec3 } from '../../engine/core/index.ts';
import { addDeviceAt } from '../actions/devices.ts';
import { type DeviceKind, reportError } from '../store.ts';

const AXES = ['x', 'y', 'z'] as const;

/**
 * Add a transmitter or receiver at typed coordinates: the keyboard path to placing devices
 * (and exact positions from a site plan), next to placing them with the mouse. The fields keep
 * the typed text (a lone "-" on the way to a negative number is not a value yet) and are
 * checked when a device is added.
 */
export function AddDeviceForm() {
  const [text, setText] = useState<[string, string, string]>(['0', '0', '1.5']);
  const add = (kind: DeviceKind) => {
    const p = text.map((t) => Number(t.trim()));
    const bad = p.findIndex((v, k) => !Number.isFinite(v) || text[k]!.trim() === '');
    if (bad >= 0) {
      reportError(`New device: ${AXES[bad]} must be a number in metres, got '${text[bad]}'`);
      return;
    }
    addDeviceAt(kind, p as Vec3);
  };
  return (
    <div className="row add-device" data-testid="add-device-form">
      {AXES.map((axis, k) => (
        <input
          key={axis}
          type="text"
          inputMode="decimal"
          aria-label={`new device ${axis} (m)`}
          data-testid={`new-device-${axis}`}
          value={text[k]}
          style={{ width: 46 }}
          onChange={(e) => {
            const q = [...text] as [string, string, string];
            q[k] = e.currentTarget.value;
            setText(q);
          }}
        />
      ))}
      <button type="button" data-testid="add-tx-at" onClick={() => add('tx')} title="Add a Tx at x, y, z">
        + Tx here
      </button>
      <button type="button" data-testid="add-rx-at" onClick={() => add('rx')} title="Add an Rx at x, y, z">
        + Rx here
      </button>
    </div>
  );
}
