import { useEffect, useState } from 'react';
import { type AntennaSpec, PATTERN_NAMES, POLARIZATIONS } from '../../engine/field/index.ts';
import { updateDevice } from '../actions/devices.ts';
import { type Device, useStudio } from '../store.ts';

const PATTERN_LABEL: Record<string, string> = {
  iso: 'isotropic',
  dipole: 'short dipole',
  hw_dipole: 'half-wave dipole',
  tr38901: '3GPP TR 38.901 element',
};
const ANGLES = [
  { key: 0, label: 'yaw', hint: 'about z (α)' },
  { key: 1, label: 'pitch', hint: 'about y (β)' },
  { key: 2, label: 'roll', hint: 'about x (γ)' },
] as const;
const deg = (rad: number) => (rad * 180) / Math.PI;
const rad = (d: number) => (d * Math.PI) / 180;
/** Transmit power the channel settings accept (channelSettings): ±100 dBm. */
const MAX_POWER_DBM = 100;

/** A number field that keeps what is typed and says why a value is refused, next to the field. */
function NumberField({
  label,
  testId,
  value,
  unit,
  check,
  onValue,
}: {
  label: string;
  testId: string;
  value: number;
  unit: string;
  check: (v: number) => string | null;
  onValue: (v: number) => void;
}) {
  const [text, setText] = useState(String(value));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setText(String(Number(value.toPrecision(6))));
    setProblem(null);
  }, [value]);
  return (
    <label className="field">
      {label}
      <span className="row-inline">
        <input
          type="text"
          inputMode="decimal"
          aria-label={`${label} (${unit})`}
          aria-invalid={problem !== null}
          data-testid={testId}
          value={text}
          onChange={(e) => {
            const t = e.currentTarget.value;
            setText(t);
            const v = Number(t.trim());
            const p =
              t.trim() === '' || !Number.isFinite(v) ? `${label} must be a number of ${unit}` : check(v);
            setProblem(p);
            if (!p) onValue(v);
          }}
        />
        {unit}
      </span>
      {problem ? (
        <span className="field-problem" role="alert" data-testid={`${testId}-problem`}>
          {problem}
        </span>
      ) : null}
    </label>
  );
}

/**
 * The selected device's antenna: pattern, polarisation, orientation (yaw, pitch, roll as Sionna
 * RT: R = Rz(α)·Ry(β)·Rx(γ)) and, for a transmitter, its power. A device without its own antenna
 * uses the channel settings' (the CLI's --pattern / --polarization / --tx-power-dbm); editing
 * gives it its own, which the trace uses on its links.
 */
export function AntennaPanel() {
  const device = useStudio((s) => s.devices.find((d) => d.id === s.selectedDeviceId));
  const settings = useStudio((s) => s.channelSettings);
  if (!device) return null;
  const fallback = device.kind === 'tx' ? settings.txAntenna : settings.rxAntenna;
  const antenna: AntennaSpec = device.antenna ?? fallback;
  const orientation = antenna.orientation ?? [0, 0, 0];
  const set = (patch: Partial<AntennaSpec>) => updateDevice(device.id, { antenna: { ...antenna, ...patch } });
  const power = device.txPowerDbm ?? settings.txPowerDbm;
  return (
    <fieldset className="antenna" data-testid="antenna-panel" aria-label={`${device.name} antenna`}>
      <legend>
        {device.name} antenna{' '}
        <span className="dim small">{device.antenna ? '(its own)' : '(channel settings)'}</span>
      </legend>
      <div className="antenna-grid">
        <label className="field">
          pattern
          <select
            aria-label={`${device.name} antenna pattern`}
            data-testid="antenna-pattern"
            value={antenna.pattern}
            onChange={(e) => set({ pattern: e.currentTarget.value as AntennaSpec['pattern'] })}
          >
            {PATTERN_NAMES.map((p) => (
              <option key={p} value={p}>
                {p} · {PATTERN_LABEL[p]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          polarisation
          <select
            aria-label={`${device.name} polarisation`}
            data-testid="antenna-polarization"
            value={antenna.polarization}
            onChange={(e) => set({ polarization: e.currentTarget.value as AntennaSpec['polarization'] })}
          >
            {POLARIZATIONS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        {ANGLES.map((a) => (
          <NumberField
            key={a.key}
            label={a.label}
            testId={`antenna-${a.label}`}
            unit="°"
            value={deg(orientation[a.key])}
            check={(v) => (Math.abs(v) > 360 ? `${a.label} ${a.hint} must be within ±360°` : null)}
            onValue={(v) => {
              const o = [...orientation] as [number, number, number];
              o[a.key] = rad(v);
              set({ orientation: o });
            }}
          />
        ))}
        {device.kind === 'tx' ? (
          <NumberField
            label="Tx power"
            testId="antenna-power"
            unit="dBm"
            value={power}
            check={(v) =>
              Math.abs(v) > MAX_POWER_DBM ? `Tx power must be within ±${MAX_POWER_DBM} dBm` : null
            }
            onValue={(v) => updateDevice(device.id, { txPowerDbm: v })}
          />
        ) : null}
      </div>
      {device.antenna || device.txPowerDbm !== undefined ? (
        <button
          type="button"
          className="small"
          data-testid="antenna-reset"
          onClick={() => updateDevice(device.id, { antenna: undefined, txPowerDbm: undefined })}
        >
          Use the channel settings
        </button>
      ) : null}
    </fieldset>
  );
}

/** Transmit power of a device (dBm): its own, else the channel settings'. */
export const txPowerOf = (d: Device | undefined, settingsPowerDbm: number) =>
  d?.txPowerDbm ?? settingsPowerDbm;
