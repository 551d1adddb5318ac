/** The studio's keyboard shortcuts (App.tsx useShortcuts); every action is also a focusable button. */
export const SHORTCUTS: [key: string, action: string][] = [
  ['O', 'open files (scene, soundings, twin, images)'],
  ['T / R', 'place a transmitter / receiver with the next click (or type coordinates under Devices)'],
  ['H', 'compute the heatmap'],
  ['E', 'export the twin (Sionna XML + PLY zip)'],
  ['X', 'see-through surfaces'],
  ['P', 'pause / resume the running calibration'],
  ['S', 'stop the calibration and keep its best estimate'],
  ['Esc', 'cancel the running job, or placement and selection'],
  ['Del', 'remove the selected device'],
  ['Tab / Shift+Tab', 'move between controls; Enter or Space presses a button'],
];

/** A disclosure in the toolbar listing the shortcuts (keyboard-openable: it is a <details>). */
export function KeyboardHelp() {
  return (
    <details className="keyboard-help" data-testid="keyboard-help">
      <summary title="Keyboard shortcuts">Keys ?</summary>
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
    </details>
  );
}
