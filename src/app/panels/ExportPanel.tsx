import { exportSionnaZip, exportTwinJson } from '../actions/exportTwin.ts';
import { useStudio } from '../store.ts';

export function ExportPanel() {
  const twin = useStudio((s) => s.twin);
  return (
    <section className="panel" aria-label="Export">
      <h2>Export</h2>
      <div className="row">
        <button
          type="button"
          data-testid="export-button"
          disabled={!twin}
          onClick={exportSionnaZip}
          title="Sionna RT XML + PLY meshes as a zip (E)"
        >
          Sionna XML + PLY (.zip) <kbd>E</kbd>
        </button>
        <button
          type="button"
          data-testid="export-json-button"
          disabled={!twin}
          onClick={exportTwinJson}
          title="Twin JSON with provenance"
        >
          Twin JSON
        </button>
      </div>
    </section>
  );
}
