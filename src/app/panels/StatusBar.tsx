import { useStudio } from '../store.ts';

/** One line that always says what the studio is doing, with progress and cancel for long jobs. */
export function StatusBar() {
  const status = useStudio((s) => s.status);
  const gpu = useStudio((s) => s.gpu);
  return (
    <footer className="statusbar">
      <div
        className={`status status-${status.level}`}
        data-testid="status"
        data-level={status.level}
        role="status"
        aria-live="polite"
      >
        {status.message}
      </div>
      {status.progress !== undefined ? (
        <div
          className="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(status.progress * 100)}
          data-testid="progress"
        >
          <div style={{ width: `${(status.progress * 100).toFixed(1)}%` }} />
        </div>
      ) : null}
      {status.cancel ? (
        <button type="button" data-testid="cancel-button" onClick={status.cancel} title="Cancel (Esc)">
          Cancel
        </button>
      ) : null}
      <div
        className={`backend ${gpu.available ? 'gpu' : 'cpu'}`}
        data-testid="backend"
        title={gpu.reason ?? gpu.adapter}
      >
        {!gpu.checked
          ? 'checking WebGPU…'
          : gpu.available
            ? `WebGPU · ${gpu.adapter ?? 'adapter'}`
            : 'CPU fallback (no WebGPU)'}
      </div>
    </footer>
  );
}
