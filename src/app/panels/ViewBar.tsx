import { fitView, hideObject, setSectionCut, setViewMode, showAllObjects } from '../actions/view.ts';
import { useStudio } from '../store.ts';

const CUTS: { value: string; label: string }[] = [
  { value: '', label: 'no cut' },
  { value: '2', label: 'ceiling cut (z)' },
  { value: '0', label: 'section x' },
  { value: '1', label: 'section y' },
];

/**
 * View controls over the 3D view: fit, top (orthographic) or perspective, a section plane or
 * ceiling cut with its position, hide the selected object / show all. The cut and hidden
 * objects change what is drawn and what a click can hit, never what is traced.
 */
export function ViewBar() {
  const viewMode = useStudio((s) => s.viewMode);
  const cut = useStudio((s) => s.sectionCut);
  const hidden = useStudio((s) => s.hiddenObjects);
  const selection = useStudio((s) => s.selection);
  const scene = useStudio((s) => s.twin?.scene);
  if (!scene) return null;
  const { min, max } = scene.bbox;
  const selectedName = selection ? scene.objects[selection.objectIndex]?.name : undefined;
  return (
    <div className="viewbar" role="toolbar" aria-label="View" data-testid="viewbar">
      <button type="button" onClick={fitView} data-testid="view-fit" title="Frame the visible objects (F)">
        Fit <kbd>F</kbd>
      </button>
      <button
        type="button"
        className={viewMode === 'top' ? 'active' : ''}
        aria-pressed={viewMode === 'top'}
        onClick={() => setViewMode(viewMode === 'top' ? 'perspective' : 'top')}
        data-testid="view-top"
        title="Orthographic view from the top; press again for the perspective orbit (V)"
      >
        Top <kbd>V</kbd>
      </button>
      <select
        aria-label="section cut"
        className="view-cut"
        data-testid="view-cut"
        value={cut ? String(cut.axis) : ''}
        onChange={(e) => {
          const v = e.currentTarget.value;
          setSectionCut(v === '' ? null : (Number(v) as 0 | 1 | 2));
        }}
      >
        {CUTS.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {cut ? (
        <label className="inline small">
          <input
            type="range"
            aria-label="cut position (m)"
            data-testid="view-cut-at"
            min={min[cut.axis]}
            max={max[cut.axis]}
            step={(max[cut.axis] - min[cut.axis]) / 200 || 0.01}
            value={cut.at}
            onChange={(e) => setSectionCut(cut.axis, e.currentTarget.valueAsNumber)}
          />
          <span data-testid="view-cut-value">
            {'xyz'[cut.axis]} ≤ {cut.at.toFixed(2)} m
          </span>
        </label>
      ) : null}
      {selection && selectedName !== undefined ? (
        <button
          type="button"
          onClick={() => hideObject(selection.objectIndex)}
          data-testid="view-hide"
          title="Hide this object from the view and from clicks (it is still traced)"
        >
          Hide {selectedName}
        </button>
      ) : null}
      {hidden.length > 0 ? (
        <button
          type="button"
          onClick={showAllObjects}
          data-testid="view-show-all"
          title="Show the hidden objects"
        >
          Show all ({hidden.length} hidden)
        </button>
      ) : null}
    </div>
  );
}
