import { useEffect, useState } from 'react';
import { materialColor, SOURCE_LABEL } from '../colors.ts';
import { type StudioMaterial, studio, useStudio } from '../store.ts';
import {
  downloadPriors,
  hasPendingViews,
  loadSavedVisionModel,
  runVisionPriors,
  setVisionModel,
} from './runVisionPriors.ts';
import { TranslatorSection } from './TranslatorSection.tsx';

/** Sources a material can have once priors exist; the legend explains each badge. */
const PRIOR_SOURCES: StudioMaterial['source'][] = ['translator', 'vision', 'name', 'manual', 'calibrated'];

/**
 * Vision priors: which CLIP model to use, how the last run went (model, backend, views, time or
 * why the model was unavailable), and the legend of the priors: per material its label, source
 * and confidence, drawn with the same confidence shading as the viewport.
 */
export function VisionPanel() {
  const twin = useStudio((s) => s.twin);
  const model = useStudio((s) => s.visionModel);
  const device = useStudio((s) => s.visionDevice);
  const priors = useStudio((s) => s.visionPriors);
  const materials = useStudio((s) => s.materials);
  const job = useStudio((s) => s.visionJob);
  const visionInputs = useStudio((s) => s.visionInputs);
  const [draft, setDraft] = useState(model);
  useEffect(loadSavedVisionModel, []);
  useEffect(() => setDraft(model), [model]);
  const current = priors && twin && priors.sceneId === twin.sceneId ? priors : null;
  const commit = () => {
    const v = draft.trim();
    if (v && v !== model) setVisionModel(v);
  };
  return (
    <section className="panel vision" aria-label="Vision priors" data-testid="vision-panel">
      <h2>Vision priors</h2>
      <label className="field">
        CLIP model <span className="dim">(hub id, or a folder served by the studio)</span>
        <input
          data-testid="vision-model"
          value={draft}
          spellCheck={false}
          placeholder="Xenova/clip-vit-base-patch32 or /models/tiny-clip"
          onChange={(e) => setDraft(e.currentTarget.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
        />
      </label>
      <label className="field">
        CLIP and the translator run on
        <select
          data-testid="vision-device"
          value={device}
          onChange={(e) => studio.set({ visionDevice: e.currentTarget.value as typeof device })}
        >
          <option value="auto">auto: WebGPU on a GPU, else the CPU</option>
          <option value="webgpu">WebGPU (any adapter)</option>
          <option value="wasm">CPU (wasm / tfjs cpu)</option>
        </select>
      </label>
      <div className="row">
        <button
          type="button"
          data-testid="vision-run"
          disabled={job !== null || !visionInputs || !hasPendingViews()}
          onClick={() => {
            commit();
            void runVisionPriors();
          }}
          title="Run the priors again on the dropped views (e.g. after changing the model)"
        >
          Run priors
        </button>
        <span className="dim small">
          {visionInputs
            ? `${visionInputs.transforms} · ${visionInputs.images.length} images`
            : 'drop images + transforms.json'}
        </span>
      </div>
      {job ? (
        <div className="vision-job" data-testid="vision-job" data-kind={job.kind}>
          <span className="small">{job.message}</span>
          <div className="row">
            <div
              className="progress"
              role="progressbar"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round((job.progress ?? 0) * 100)}
              data-testid="vision-progress"
            >
              <div style={{ width: `${((job.progress ?? 0) * 100).toFixed(1)}%` }} />
            </div>
            <button type="button" data-testid="vision-cancel" onClick={job.cancel}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {current ? (
        <p className="small" data-testid="vision-summary">
          {current.loadedFrom
            ? `from ${current.loadedFrom}: ${current.file.source} priors (${current.model})`
            : current.source === 'vision'
              ? `CLIP ${current.model} on ${current.device}${current.webgpuFallback ? ` (${current.webgpuFallback})` : ''}: ${current.viewsUsed !== undefined && current.viewsUsed !== current.views ? `${current.viewsUsed} of ${current.views}` : current.views} views, ${(current.elapsedMs / 1000).toFixed(1)} s`
              : `name-based: ${current.unavailable}`}
        </p>
      ) : null}
      {current && current.file.warnings.length > 0 ? (
        <ul className="notes small dim" data-testid="vision-warnings">
          {current.file.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {current ? <PriorsLegend materials={materials} /> : null}
      {current ? (
        <button
          type="button"
          data-testid="vision-download"
          onClick={downloadPriors}
          title="The priors file rftwin priors writes; rftwin calibrate --init accepts it"
        >
          Save priors.json
        </button>
      ) : null}
      <TranslatorSection />
      <div className="source-key" data-testid="source-key">
        {PRIOR_SOURCES.map((s) => (
          <span key={s} className={`badge src-${s}`}>
            {SOURCE_LABEL[s]}
          </span>
        ))}
        <span className="dim small">· faded = low confidence</span>
      </div>
    </section>
  );
}

function PriorsLegend({ materials }: { materials: Record<string, StudioMaterial> }) {
  return (
    <ul className="priors" data-testid="priors-legend">
      {Object.values(materials).map((m) => {
        const conf = m.confidence;
        const shaded = (m.source === 'vision' || m.source === 'translator') && conf !== undefined;
        return (
          <li key={m.id} data-material={m.id} data-source={m.source} title={m.evidence}>
            <div className="prior-row">
              <span
                className="swatch"
                style={{ background: materialColor(m), opacity: shaded ? 0.4 + 0.6 * conf : 1 }}
              />
              <span className="mat-name">{m.id}</span>
              <span className="num">{shaded ? `${Math.round(conf * 100)} %` : ''}</span>
            </div>
            <div className="prior-sub">
              →{' '}
              {m.spec.kind === 'itu'
                ? m.spec.ituName
                : m.spec.kind === 'custom'
                  ? `σ ${m.spec.conductivity.toPrecision(3)} S/m, εr ${m.spec.relativePermittivity.toPrecision(3)}, S ${m.spec.scatteringCoefficient}`
                  : m.spec.kind}{' '}
              <span className={`badge src-${m.source}`}>{SOURCE_LABEL[m.source]}</span>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
