import { useState } from 'react';
import {
  DEFAULT_THICKNESS,
  ITU_MATERIAL_NAMES,
  type RadioParameters,
  radioParameterProblems,
  resolveRadioParameters,
} from '../../engine/materials/index.ts';
import { overrideMaterial } from '../actions/materials.ts';
import { materialColor, SOURCE_LABEL } from '../colors.ts';
import { useStudio } from '../store.ts';
import { PriorEvidence } from '../vision/PriorEvidence.tsx';
import { CalibrationBadge } from './CalibrationBadge.tsx';

const FIELDS: { key: keyof RadioParameters; label: string; unit: string }[] = [
  { key: 'relativePermittivity', label: 'εr', unit: '' },
  { key: 'conductivity', label: 'σ', unit: 'S/m' },
  { key: 'scatteringCoefficient', label: 'S', unit: '' },
  { key: 'thickness', label: 'thickness', unit: 'm' },
];

const fmt = (v: number) =>
  Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toPrecision(4);

/** The clicked surface: what it is, what it is made of, where that came from; override it. */
export function MaterialInspector() {
  const twin = useStudio((s) => s.twin);
  const selection = useStudio((s) => s.selection);
  const materials = useStudio((s) => s.materials);
  const objectMaterial = useStudio((s) => s.objectMaterial);
  const frequencyHz = useStudio((s) => s.frequencyHz);
  const [scope, setScope] = useState<'material' | 'object'>('material');

  const object = selection && twin ? twin.scene.objects[selection.objectIndex] : undefined;
  const materialId = object ? (objectMaterial[selection!.objectIndex] ?? object.materialId) : undefined;
  const material = materialId ? materials[materialId] : undefined;
  let params: RadioParameters | undefined;
  let paramNote = '';
  if (material) {
    try {
      params = resolveRadioParameters(material.spec, frequencyHz);
    } catch (e) {
      params = resolveRadioParameters(material.spec, frequencyHz, { allowExtrapolation: true });
      paramNote = (e as Error).message;
    }
  }
  if (!twin || !selection || !object) {
    return (
      <section className="panel" aria-label="Material inspector">
        <h2>Inspector</h2>
        <p className="dim">Click a surface to inspect and override its material.</p>
      </section>
    );
  }
  return (
    <section className="panel inspector" aria-label="Material inspector" data-testid="material-inspector">
      <h2>Inspector</h2>
      <dl className="props">
        <dt>object</dt>
        <dd data-testid="inspector-object">{object.name}</dd>
        <dt>face</dt>
        <dd>
          #{selection.faceIndex} · {twin.scene.faces[selection.faceIndex]?.area.toFixed(2)} m²
        </dd>
        <dt>material</dt>
        <dd data-testid="inspector-material">
          <span className="swatch" style={{ background: materialColor(material) }} /> {materialId}
          {material?.spec.kind === 'itu' ? <span className="dim"> (ITU {material.spec.ituName})</span> : null}
          {material?.spec.kind === 'custom' ? <span className="dim"> (custom)</span> : null}
          {material?.spec.kind === 'unknown' ? (
            <span className="warn"> (unknown: traced as concrete)</span>
          ) : null}
        </dd>
        {params
          ? FIELDS.map((f) => (
              <div key={f.key} className="prop-row">
                <dt>{f.label}</dt>
                <dd data-testid={`inspector-${f.key}`}>
                  {fmt(params![f.key])} {f.unit}
                </dd>
              </div>
            ))
          : null}
        <dt>source</dt>
        <dd data-testid="inspector-source">
          <span className={`badge src-${material?.source ?? 'default'}`}>
            {SOURCE_LABEL[material?.source ?? 'default']}
          </span>
          {material?.confidence !== undefined ? (
            <span className="dim"> conf {(material.confidence * 100).toFixed(0)} %</span>
          ) : null}
          <CalibrationBadge material={material} detailed />
        </dd>
        <dt>evidence</dt>
        <dd className="evidence">{material?.evidence ?? '—'}</dd>
      </dl>
      <PriorEvidence objectName={object.name} />
      {paramNote ? <p className="warn small">{paramNote}</p> : null}
      <p className="dim small">Values at {(frequencyHz / 1e9).toPrecision(4)} GHz</p>
      <fieldset>
        <legend>Override</legend>
        <div className="row">
          <label className="inline">
            <input
              type="radio"
              name="scope"
              checked={scope === 'material'}
              onChange={() => setScope('material')}
            />{' '}
            all objects with {materialId}
          </label>
          <label className="inline">
            <input
              type="radio"
              name="scope"
              checked={scope === 'object'}
              onChange={() => setScope('object')}
            />{' '}
            this object only
          </label>
        </div>
        <label className="field">
          ITU material
          <select
            data-testid="itu-select"
            value={material?.spec.kind === 'itu' ? material.spec.ituName : ''}
            onChange={(e) => {
              const name = e.currentTarget.value;
              if (!name) return;
              const prev = material?.spec;
              overrideMaterial(
                selection.objectIndex,
                {
                  kind: 'itu',
                  ituName: name,
                  thickness: prev && prev.kind !== 'unknown' ? prev.thickness : DEFAULT_THICKNESS,
                  scatteringCoefficient: prev && prev.kind !== 'unknown' ? prev.scatteringCoefficient : 0,
                  xpdCoefficient: prev && prev.kind !== 'unknown' ? prev.xpdCoefficient : 0,
                },
                scope,
              );
            }}
          >
            <option value="">—</option>
            {ITU_MATERIAL_NAMES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <CustomValuesForm
          key={`${selection.objectIndex}:${materialId}:${JSON.stringify(material?.spec)}`}
          initial={params}
          onApply={(values) =>
            overrideMaterial(
              selection.objectIndex,
              {
                kind: 'custom',
                ...values,
                xpdCoefficient: material?.spec.kind === 'custom' ? material.spec.xpdCoefficient : 0,
              },
              scope,
            )
          }
        />
      </fieldset>
    </section>
  );
}

/** Explicit ε′r, σ, S, thickness; validated by the engine's rules before anything changes. Keyed by surface+material, so it starts from the shown values. */
function CustomValuesForm({
  initial,
  onApply,
}: {
  initial?: RadioParameters;
  onApply: (v: Omit<RadioParameters, 'xpdCoefficient'>) => void;
}) {
  const [custom, setCustom] = useState<Record<string, string>>(() =>
    initial
      ? Object.fromEntries(FIELDS.map((f) => [f.key, String(Number(initial[f.key].toPrecision(6)))]))
      : {},
  );
  const [problems, setProblems] = useState<string[]>([]);
  const applyCustom = () => {
    const values = Object.fromEntries(
      FIELDS.map((f) => [f.key, custom[f.key]?.trim() === '' ? Number.NaN : Number(custom[f.key])]),
    ) as unknown as RadioParameters;
    const found = radioParameterProblems(values);
    setProblems(found);
    if (found.length === 0) onApply(values);
  };
  return (
    <>
      <div className="custom-grid">
        {FIELDS.map((f) => (
          <label key={f.key} className="field">
            {f.label} {f.unit ? <span className="dim">({f.unit})</span> : null}
            <input
              data-testid={`custom-${f.key}`}
              inputMode="decimal"
              value={custom[f.key] ?? ''}
              onChange={(e) => setCustom({ ...custom, [f.key]: e.currentTarget.value })}
              onKeyDown={(e) => e.key === 'Enter' && applyCustom()}
            />
          </label>
        ))}
      </div>
      <button type="button" data-testid="apply-custom" onClick={applyCustom}>
        Apply custom values
      </button>
      {problems.length > 0 ? (
        <ul className="problems" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
