import { useEffect, useRef, useState } from 'react';
import { pauseCalibration, resumeCalibration, stopCalibration } from './actions/calibrate.ts';
import { removeDevice, togglePlacing } from './actions/devices.ts';
import { exportSionnaZip } from './actions/exportTwin.ts';
import { computeHeatmap } from './actions/heatmap.ts';
import { openBrowserFiles } from './actions/loadInputs.ts';
import { newWorkspace } from './actions/newWorkspace.ts';
import { fitView, setSectionCut, setViewMode, toggleXray } from './actions/view.ts';
import { redo, undo } from './history.ts';
import { BeamPanel } from './panels/BeamPanel.tsx';
import { CalibrationPanel } from './panels/CalibrationPanel.tsx';
import { DeviceList } from './panels/DeviceList.tsx';
import { DynamicsPanel } from './panels/DynamicsPanel.tsx';
import { ExportPanel } from './panels/ExportPanel.tsx';
import { FrequencyField } from './panels/FrequencyField.tsx';
import { HeatmapPanel } from './panels/HeatmapPanel.tsx';
import { KeyboardHelp } from './panels/KeyboardHelp.tsx';
import { LinkPanel } from './panels/LinkPanel.tsx';
import { MaterialInspector } from './panels/MaterialInspector.tsx';
import { PlanningPanel } from './panels/PlanningPanel.tsx';
import { SceneTree } from './panels/SceneTree.tsx';
import { StatusBar } from './panels/StatusBar.tsx';
import { studio, useStudio } from './store.ts';
import { Viewport } from './viewport/Viewport.tsx';
import { VisionPanel } from './vision/VisionPanel.tsx';

const ACCEPT = '.xml,.ply,.glb,.gltf,.obj,.mtl,.bin,.csv,.json,.zip,.png,.jpg,.jpeg,.webp';

function isTyping(e: KeyboardEvent) {
  const t = e.target as HTMLElement | null;
  return (
    !!t &&
    (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable)
  );
}

/** Keyboard access to the main actions (shown as <kbd> hints on the buttons). */
function useShortcuts(openPicker: () => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // a dialog open (the keys help) has the keyboard; Esc closes it, not the running job
      if (document.querySelector('dialog[open]')) return;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !isTyping(e)) {
        const k = e.key.toLowerCase();
        if (k === 'z' && !e.shiftKey) undo();
        else if ((k === 'z' && e.shiftKey) || k === 'y') redo();
        else return;
        e.preventDefault();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e)) return;
      const s = studio.get();
      switch (e.key) {
        case 't':
        case 'T':
          togglePlacing('tx');
          break;
        case 'r':
        case 'R':
          togglePlacing('rx');
          break;
        case 'o':
        case 'O':
          openPicker();
          break;
        case 'e':
        case 'E':
          exportSionnaZip();
          break;
        case 'h':
        case 'H':
          void computeHeatmap();
          break;
        case 'x':
        case 'X':
          toggleXray();
          break;
        case '?':
          document.querySelector<HTMLDialogElement>('dialog.keyboard-help')?.showModal();
          break;
        case 'f':
        case 'F':
          fitView();
          break;
        case 'v':
        case 'V':
          setViewMode(s.viewMode === 'top' ? 'perspective' : 'top');
          break;
        case 'c':
        case 'C':
          setSectionCut(s.sectionCut ? null : 2);
          break;
        case 'p':
        case 'P':
          if (s.calibrationRun === 'running') pauseCalibration();
          else if (s.calibrationRun === 'paused') resumeCalibration();
          else return;
          break;
        case 's':
        case 'S':
          if (!s.calibrationRun) return;
          stopCalibration();
          break;
        case 'Delete':
        case 'Backspace':
          if (s.selectedDeviceId) removeDevice(s.selectedDeviceId);
          break;
        case 'Escape':
          if (s.status.cancel) s.status.cancel();
          else studio.set({ placing: null, selection: null, selectedDeviceId: null });
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openPicker]);
}

function Toolbar({ onOpen }: { onOpen: () => void }) {
  const xray = useStudio((s) => s.xray);
  const undoLabel = useStudio((s) => s.undoLabel);
  const redoLabel = useStudio((s) => s.redoLabel);
  return (
    <header className="toolbar">
      <div className="brand">
        RFTwin <span>Studio</span>
      </div>
      <button
        type="button"
        onClick={onOpen}
        title="Open scene, soundings, twin or images (O); or drop files anywhere"
      >
        Open… <kbd>O</kbd>
      </button>
      <button
        type="button"
        onClick={() => {
          if (
            window.confirm(
              'Start a new workspace? The devices, overrides and results saved in this browser are discarded.',
            )
          )
            void newWorkspace();
        }}
        data-testid="new-workspace"
        title="Discard the saved workspace and start again from the demo twin"
      >
        New
      </button>
      <button
        type="button"
        onClick={undo}
        disabled={!undoLabel}
        data-testid="undo"
        aria-label={undoLabel ? `Undo ${undoLabel}` : 'Undo'}
        title={undoLabel ? `Undo: ${undoLabel} (Ctrl+Z)` : 'Nothing to undo'}
      >
        ↶
      </button>
      <button
        type="button"
        onClick={redo}
        disabled={!redoLabel}
        data-testid="redo"
        aria-label={redoLabel ? `Redo ${redoLabel}` : 'Redo'}
        title={redoLabel ? `Redo: ${redoLabel} (Ctrl+Shift+Z)` : 'Nothing to redo'}
      >
        ↷
      </button>
      <FrequencyField />
      <button
        type="button"
        className={xray ? 'active' : ''}
        aria-pressed={xray}
        data-testid="xray-button"
        onClick={toggleXray}
        title="See-through surfaces (X)"
      >
        X-ray <kbd>X</kbd>
      </button>
      <span className="hint dim">drag: orbit · right-drag: pan · wheel: zoom · drop files anywhere</span>
      <KeyboardHelp />
    </header>
  );
}

export function App() {
  const inputRef = useRef<HTMLInputElement>(null);
  const [dragOver, setDragOver] = useState(false);
  const openPicker = () => inputRef.current?.click();
  useShortcuts(openPicker);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the whole window is a file drop zone; the Open button is the keyboard path
    <div
      className={`app${dragOver ? ' drag-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragOver(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragOver(false);
      }}
      onDrop={async (e) => {
        e.preventDefault();
        setDragOver(false);
        await openBrowserFiles(Array.from(e.dataTransfer.files));
      }}
    >
      <input
        ref={inputRef}
        type="file"
        multiple
        accept={ACCEPT}
        data-testid="file-input"
        aria-label="Open files"
        className="visually-hidden"
        onChange={async (e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = '';
          await openBrowserFiles(files);
        }}
      />
      <Toolbar onOpen={openPicker} />
      <aside className="left">
        <SceneTree />
        <VisionPanel />
        <DeviceList />
      </aside>
      <main className="centre">
        <Viewport />
      </main>
      <aside className="right">
        <MaterialInspector />
        <LinkPanel />
        <HeatmapPanel />
        <BeamPanel />
        <CalibrationPanel />
        <PlanningPanel />
        <DynamicsPanel />
        <ExportPanel />
      </aside>
      <StatusBar />
    </div>
  );
}
