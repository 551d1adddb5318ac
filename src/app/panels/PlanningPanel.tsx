import { useState } from 'react';
import { addSuggestedRx, type PlanSettings, suggestRxPositions } from '../actions/plan.ts';
import { useStudio } from '../store.ts';
import { between, integerBetween } from '../validation.ts';
import { NumberField } from './NumberField.tsx';

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
        <span className="inline">
          Rx
          <NumberField
            label="number of suggested receivers"
            value={settings.count}
            check={integerBetween(1, 50, 'the number of receivers')}
            onCommit={(v) => setSettings({ ...settings, count: v })}
            width={44}
          />
        </span>
        <span className="inline">
          grid
          <NumberField
            label="candidate grid spacing (m)"
            value={settings.spacing}
            check={between(0.25, 100, ' m', 'the grid spacing')}
            onCommit={(v) => setSettings({ ...settings, spacing: v })}
            width={52}
          />
          m
        </span>
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
