import { setStatus } from '../store.ts';
import { clearWorkspace, restoreWorkspace } from '../workspace.ts';
import { loadTwinSource, openDemo } from './loadInputs.ts';

/** Forget the saved workspace (twin, devices, overrides, results) and open the demo twin afresh. */
export async function newWorkspace() {
  await clearWorkspace();
  if (await openDemo()) setStatus({ level: 'ok', message: 'New workspace: the demo twin, no devices' });
}

/**
 * The studio's start: the workspace saved in this browser when there is one, else the demo twin.
 * `?workspace=new` in the address starts a new workspace (benchmarks, a clean demo).
 */
export async function startWorkspace() {
  if (new URLSearchParams(location.search).get('workspace') === 'new') {
    await newWorkspace();
    return;
  }
  if (!(await restoreWorkspace(loadTwinSource))) await openDemo();
}
