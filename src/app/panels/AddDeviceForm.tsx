import { useId, useState } from 'react';
import type { Vec3 } from '../../engine/core/index.ts';
import { addDeviceAt } from '../actions/devices.ts';
import { type DeviceKind, reportError, useStudio } from '../store.ts';
import { positionCheck, readNumber } from '../validation.ts';

const AXES = ['x', 'y', 'z'] as const;

/**
 * Add a transmitter or receiver at typed coordinates: the keyboard path to placing devices
 * (and exact positions from a site plan), next to placing them with the mouse. The fields keep
 * the typed text (a lone "-" on the way to a negative number is not a value yet); each is
 * checked as typed (a number, within the scene's bounds plus a margin: validation.ts) with the
 * reason next to it, and a device is added only when all three are valid.
 */
export function AddDeviceForm() {
  const [text, setText] = useState<[string, string, string]>(['0', '0', '1.5']);
  const scene = useStudio((s) => s.twin?.scene);
  const errorId = useId();
  const problems = text.map((t, k) => {
    const read = readNumber(t);
    if ('problem' in read) return `${AXES[k]}: ${read.problem}`;
    return scene ? positionCheck(scene, k as 0 | 1 | 2)(read.value) : undefined;
  });
  const add = (kind: DeviceKind) => {
    const bad = problems.findIndex((p) => p !== undefined);
    if (bad >= 0) {
      reportError(`New device not added: ${problems[bad]}`);
      return;
    }
    addDeviceAt(kind, text.map((t) => Number(t.trim())) as Vec3);
  };
  return (
    <div className="row add-device" data-testid="add-device-form">
      {AXES.map((axis, k) => (
        <input
          key={axis}
          type="text"
          inputMode="decimal"
          aria-label={`new device ${axis} (m)`}
          aria-invalid={problems[k] ? true : undefined}
          aria-describedby={problems[k] ? `${errorId}-${axis}` : undefined}
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
      {AXES.map((axis, k) =>
        problems[k] ? (
          <span
            key={axis}
            className="field-error"
            id={`${errorId}-${axis}`}
            role="alert"
            data-testid={`new-device-${axis}-error`}
          >
            {problems[k]}
          </span>
        ) : null,
      )}
    </div>
  );
}
