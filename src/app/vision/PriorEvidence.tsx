import { useStudio } from '../store.ts';

interface ObjectEvidence {
  status?: string;
  label?: string;
  confidence?: number;
  probability?: number;
  views_used?: string[];
  crops?: number;
  view_agreement?: number;
  top3?: { label: string; score: number; probability?: number }[];
  roughness?: {
    label: string;
    source?: string;
    scattering_coefficient: number;
    scattering_coefficient_std?: number;
    texture_contrast?: number;
    texture_windows?: number;
  };
  itu_name?: string | null;
  /** values the translator predicted from this object's own embedding */
  translated?: Record<string, number>;
}

/**
 * What the vision priors saw on the inspected object: its own label and confidence, the views
 * that showed it and CLIP's top-3 scores (the per-object section of the priors file).
 */
export function PriorEvidence({ objectName }: { objectName: string }) {
  const priors = useStudio((s) => s.visionPriors);
  const twin = useStudio((s) => s.twin);
  if (!priors || !twin || priors.sceneId !== twin.sceneId) return null;
  const e = priors.file.objects[objectName] as ObjectEvidence | undefined;
  if (!e) return null;
  return (
    <div className="prior-evidence" data-testid="prior-evidence">
      <h3>Prior for this object</h3>
      {e.status === 'seen' ? (
        <dl className="props">
          <dt>label</dt>
          <dd data-testid="prior-label">{e.label}</dd>
          <dt>confidence</dt>
          <dd data-testid="prior-confidence">
            {((e.confidence ?? 0) * 100).toFixed(0)} %{' '}
            <span className="dim">
              (p {((e.probability ?? 0) * 100).toFixed(0)} % × views agreeing{' '}
              {((e.view_agreement ?? 0) * 100).toFixed(0)} %)
            </span>
          </dd>
          <dt>views</dt>
          <dd data-testid="prior-views">
            {e.views_used?.length ?? 0} ({e.crops ?? 0} crops):{' '}
            <span className="dim">{e.views_used?.map((v) => v.split('/').pop()).join(', ')}</span>
          </dd>
          <dt>top-3</dt>
          <dd data-testid="prior-top3">
            <ol className="top3">
              {e.top3?.map((t) => (
                <li key={t.label}>
                  {t.label} <span className="dim">cos {t.score.toFixed(3)}</span>
                  {t.probability !== undefined ? (
                    <span className="dim"> · p {(t.probability * 100).toFixed(0)} %</span>
                  ) : null}
                </li>
              ))}
            </ol>
          </dd>
          {e.translated ? (
            <>
              <dt>translator</dt>
              <dd data-testid="prior-translated">
                {Object.entries(e.translated)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(', ')}{' '}
                <span className="dim">(from this object's embedding; {priors.file.translator})</span>
              </dd>
            </>
          ) : null}
          {e.roughness ? (
            <>
              <dt>roughness</dt>
              <dd data-testid="prior-roughness">
                {e.roughness.label}: S {e.roughness.scattering_coefficient}
                {e.roughness.scattering_coefficient_std !== undefined
                  ? ` ± ${e.roughness.scattering_coefficient_std}`
                  : ''}{' '}
                <span className="dim">
                  {e.roughness.source === 'texture'
                    ? `(texture contrast ${((e.roughness.texture_contrast ?? 0) * 100).toFixed(1)} % over ${e.roughness.texture_windows} windows at 4 cm)`
                    : '(CLIP roughness prompts: the views do not resolve 4 cm)'}
                </span>
              </dd>
            </>
          ) : null}
        </dl>
      ) : e.status === 'unseen' ? (
        <p className="dim small" data-testid="prior-label">
          unseen: no view shows this object, so CLIP does not guess it
        </p>
      ) : (
        <p className="dim small" data-testid="prior-label">
          name-based ({e.itu_name ?? 'no ITU match: choose one below'}); CLIP was not available
        </p>
      )}
    </div>
  );
}
