import { useMemo } from 'react';
import { studio, useStudio } from '../store.ts';
import { frequencyCheck } from '../validation.ts';
import { NumberField } from './NumberField.tsx';

/**
 * The carrier frequency (GHz): within ITU-R P.2040's validity range of every ITU material in the
 * twin, unless the person ticks "extrapolate" (then the nearest band's fit is used, as the CLI's
 * --extrapolate, and the materials note which ones); never 0, negative, or beyond 1 THz.
 */
export function FrequencyField() {
  const frequencyHz = useStudio((s) => s.frequencyHz);
  const allow = useStudio((s) => s.allowExtrapolation);
  const materials = useStudio((s) => s.materials);
  const objectMaterial = useStudio((s) => s.objectMaterial);
  const check = useMemo(() => {
    const used = [...new Set(objectMaterial)].flatMap((id) => (materials[id] ? [materials[id].spec] : []));
    return frequencyCheck(used, allow);
  }, [materials, objectMaterial, allow]);
  return (
    <span className="inline">
      f
      <NumberField
        label="carrier frequency (GHz)"
        testId="frequency"
        value={frequencyHz / 1e9}
        check={check}
        onCommit={(v) => studio.set({ frequencyHz: v * 1e9 })}
        width={56}
      />
      GHz
      <label
        className="inline small"
        title="Accept frequencies outside ITU-R P.2040's validity range (nearest band's fit)"
      >
        <input
          type="checkbox"
          data-testid="extrapolate"
          checked={allow}
          onChange={(e) => studio.set({ allowExtrapolation: e.currentTarget.checked })}
        />
        extrapolate
      </label>
    </span>
  );
}
