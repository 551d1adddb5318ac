import { useRef } from 'react';
import { readBrowserFiles } from '../actions/browserFiles.ts';
import { reportError, useStudio } from '../store.ts';
import {
  applyBlocker,
  applyTranslatorToTwin,
  downloadTranslator,
  fitBlocker,
  fitTranslatorFromTwin,
  loadTranslatorFile,
} from './translatorActions.ts';

/**
 * The translator (paper 000's retained association: CLIP embedding → calibrated values): fit it
 * on this twin once it is calibrated, save or load it, apply it to another twin's CLIP priors.
 * Says which tfjs backend ran it (WebGPU when the browser has an adapter).
 */
export function TranslatorSection() {
  const translator = useStudio((s) => s.translator);
  const fitWhy = useStudio(fitBlocker);
  const applyWhy = useStudio(applyBlocker);
  const busy = useStudio((s) => s.visionJob !== null);
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="translator" data-testid="translator">
      <h3>Translator</h3>
      <p className="small" data-testid="translator-summary">
        {translator
          ? `${translator.name}: ${translator.json.parameters.join(', ')} from ${translator.json.samples} samples${
              translator.json.anchors ? ` of ${translator.json.anchors.map((a) => a.label).join(', ')}` : ''
            }`
          : 'none: fit one on a calibrated twin, or load a translator file'}
      </p>
      {translator?.backend ? (
        <p className="small dim" data-testid="translator-backend" data-backend={translator.backend}>
          ran on tfjs {translator.backend === 'webgpu' ? 'WebGPU' : 'CPU'}
          {translator.backendNote ? ` (${translator.backendNote})` : ''}
        </p>
      ) : null}
      {translator?.applied ? (
        <p className="small dim" data-testid="translator-applied">
          set {translator.applied.materials.join(', ') || 'no material'} of {translator.applied.twin}
          {translator.applied.outside.length
            ? `; outside what it learned: ${translator.applied.outside.join(', ')}`
            : ''}
        </p>
      ) : null}
      <div className="row">
        <button
          type="button"
          data-testid="translator-fit"
          disabled={busy || fitWhy !== null}
          title={fitWhy ?? 'Learn CLIP embedding → calibrated values from this twin'}
          onClick={() => void fitTranslatorFromTwin()}
        >
          Fit from this twin
        </button>
        <button
          type="button"
          data-testid="translator-apply"
          disabled={busy || applyWhy !== null}
          title={applyWhy ?? 'Replace the learned values of this twin’s CLIP priors by the translator’s'}
          onClick={() => void applyTranslatorToTwin()}
        >
          Apply to this twin
        </button>
        <button
          type="button"
          data-testid="translator-save"
          disabled={!translator}
          onClick={downloadTranslator}
          title="The file rftwin priors --translator reads"
        >
          Save
        </button>
        <button type="button" data-testid="translator-load" onClick={() => input.current?.click()}>
          Load…
        </button>
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="translator-input"
          onChange={async (e) => {
            const el = e.currentTarget;
            const files = await readBrowserFiles(el.files ?? []);
            el.value = '';
            try {
              if (files[0]) loadTranslatorFile(files[0]);
            } catch (err) {
              reportError((err as Error).message);
            }
          }}
        />
      </div>
      {fitWhy && !translator ? <p className="small dim">Fit: {fitWhy}</p> : null}
    </div>
  );
}
