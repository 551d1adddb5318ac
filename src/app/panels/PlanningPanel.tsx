import { useState } from 'react';
import { addSuggestedRx, type PlanSettings, suggestRxPositions } from '../actions/plan.ts';
import { useStudio } from '../store.ts';

const fmt = (p: readonly number[]) => p.map((v) => v.toFixed(2)).join(', ');

/**
 * Measurement planning: where to put receivers so that their soundings from the current
 * transmitters identify the materials best (greedy Bayesian D-optimal design, as `rftwin plan`).
 * Suggestions are drawn in the viewport and can be added as receivers.
 */
export function PlanningPanel() {
  const twin = useStudio((s) => s.twin);
  const hasTx = useStudio((s) => s.devices.some((d) => d.kind === 'tx'));
  const suggested = useStudio((s) => s.suggestedRx);
  const busy = useStudio((s) => s.status.level === 'busy');
  const [settings, setSettings] = useState<PlanSettings>({
    count: 5,
    spacing: 1,
    parameterNames: ['conductivity'],
  });
  return (
    <section className="panel" aria-label="Measurement planning" data-testid="planning-panel">
      <h2>Measurement planning</h2>
      <div className="row">
        <label className="inline">
          Rx
          <input
            type="number"
            min={1}
            max={50}
            step={1}
            aria-label="number of suggested receivers"
            value={settings.count}
            style={{ width: 44 }}
            onChange={(e) => {
              const v = e.currentTarget.valueAsNumber;
              if (Number.isInteger(v) && v > 0) setSettings({ ...settings, count: v });
            }}
          />
        </label>
        <label className="inline">
          grid
          <input
            type="number"
            min={0.25}
            step={0.25}
            aria-label="candidate grid spacing (m)"
            value={settings.spacing}
            style={{ width: 52 }}
            onChange={(e) => {
              const v = e.currentTarget.valueAsNumber;
              if (Number.isFinite(v) && v >= 0.25) setSettings({ ...settings, spacing: v });
            }}
          />
          m
        </label>
        <button
          type="button"
          data-testid="plan-button"
          disabled={!twin || !hasTx || busy}
          onClick={() => void suggestRxPositions(settings)}
          title={hasTx ? 'Suggest receiver positions that identify the materials best' : 'Place a Tx first'}
        >
          Suggest Rx positions
        </button>
      </div>
      {suggested.length ? (
        <>
          <ol className="small suggestions" data-testid="suggested-rx-list">
            {suggested.map((q, k) => (
              <li key={q.position.join(',')} data-testid="suggested-rx" data-position={q.position.join(',')}>
                ({fmt(q.position)}) m · +{q.gainBits.toFixed(2)} bits{' '}
                <button
                  type="button"
                  className="icon"
                  aria-label={`add suggested receiver ${k + 1} as Rx`}
                  onClick={() => addSuggestedRx([q.position])}
                >
                  +
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            data-testid="add-suggested-rx"
            onClick={() => addSuggestedRx(suggested.map((q) => q.position))}
          >
            Add all as Rx
          </button>
        </>
      ) : (
        <p className="dim small">Suggested positions appear in the scene as pink diamonds.</p>
      )}
    </section>
  );
}
