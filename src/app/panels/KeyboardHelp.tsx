import { useRef } from 'react';

/** The studio's keyboard shortcuts (App.tsx useShortcuts); every action is also a focusable button. */
export const SHORTCUTS: [key: string, action: string][] = [
  ['O', 'open files (scene, soundings, twin, images)'],
  ['T / R', 'place a transmitter / receiver with the next click (or type coordinates under Devices)'],
  ['H', 'compute the heatmap'],
  ['E', 'export the twin (Sionna XML + PLY zip)'],
  ['X', 'see-through surfaces (X-ray): the shell seen from outside, solids from inside'],
  ['F', 'fit the view to the visible objects'],
  ['V', 'top view (orthographic) / perspective'],
  ['C', 'ceiling cut on / off (position under the view bar)'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'undo / redo a device edit, a material override or an applied calibration'],
  ['P', 'pause / resume the running calibration'],
  ['S', 'stop the calibration and keep its best estimate'],
  ['?', 'this list of shortcuts'],
  ['Esc', 'cancel the running job, or placement and selection; closes this dialog'],
  ['Del', 'remove the selected device'],
  ['Tab / Shift+Tab', 'move between controls; Enter or Space presses a button'],
];

/**
 * The shortcuts in a modal dialog opened from the toolbar: it closes on Esc, on a click outside
 * it and with its Close button, and covers no panel while closed.
 */
export function KeyboardHelp() {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button
        type="button"
        className="keys-button"
        onClick={() => dialog.current?.showModal()}
        title="Keyboard shortcuts"
      >
        Keys ?
      </button>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: Esc closes a modal dialog natively; the click is on its backdrop */}
      <dialog
        ref={dialog}
        className="keyboard-help"
        aria-label="Keyboard shortcuts"
        onClick={(e) => {
          // a click on the backdrop reaches the dialog element itself, outside its content box
          if (e.target === e.currentTarget) {
            const r = e.currentTarget.getBoundingClientRect();
            const inside =
              e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom;
            if (!inside) e.currentTarget.close();
          }
        }}
      >
        <div data-testid="keyboard-help">
          <h2>Keyboard shortcuts</h2>
          <table className="small">
            <tbody>
              {SHORTCUTS.map(([k, a]) => (
                <tr key={k}>
                  <td>
                    <kbd>{k}</kbd>
                  </td>
                  <td>{a}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <form method="dialog">
            <button type="submit" data-testid="keyboard-help-close">
              Close
            </button>
          </form>
        </div>
      </dialog>
    </>
  );
}
