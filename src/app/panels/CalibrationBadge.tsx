import type { StudioMaterial } from '../store.ts';

/**
 * What the applied calibration said about a material, next to its name: "not calibrated" (or
 * "partly calibrated") with each reason in the tooltip and below, so that a prior that stayed
 * is never mistaken for a calibrated value. Nothing for a material no calibration trained.
 */
export function CalibrationBadge({
  material,
  detailed = false,
}: {
  material?: StudioMaterial;
  detailed?: boolean;
}) {
  const c = material?.calibration;
  if (!c) return null;
  const lines = Object.entries(c.parameters).map(
    ([name, p]) =>
      `${name}: ${fmt(p.estimate)} ± ${p.std === null ? '–' : fmt(p.std)}${p.calibrated ? ' calibrated' : ` not calibrated (${p.reason}); prior ${fmt(p.prior)} kept`}`,
  );
  return (
    <>
      {c.status === 'calibrated' ? null : (
        <span
          className="badge not-calibrated"
          data-testid="calibration-badge"
          data-status={c.status}
          title={lines.join('\n')}
        >
          {c.status}
        </span>
      )}
      {detailed ? (
        <ul className="small calibration-detail" data-testid="calibration-detail">
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

const fmt = (v: number) => String(Number(v.toPrecision(3)));
