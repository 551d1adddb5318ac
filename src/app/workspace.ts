import { clearHistory, quietly } from './history.ts';
import { type RootState, reportError, setStatus, studio, useStudio } from './store.ts';
import type { InputFile } from './worker/protocol.ts';

/**
 * The workspace (the twin, its devices, overrides, settings and results) kept in the browser's
 * IndexedDB and restored on reload. Two records: the twin's source (the scene files as read, the
 * demo, or a twin JSON), written when a twin is adopted, and the state, written shortly after
 * every change. "New workspace" forgets both.
 */

/** Where the twin came from, enough to load it again. */
export type TwinSource =
  | { kind: 'demo' }
  | { kind: 'files'; files: InputFile[]; entry: string; inputs: string[] }
  | { kind: 'twin-json'; file: InputFile };

/** The store fields a workspace keeps (add a field here to keep it across reloads). */
export const PERSISTED = [
  'devices',
  'materials',
  'objectMaterial',
  'frequencyHz',
  'channelSettings',
  'backendChoice',
  'placeHeight',
  'hiddenObjects',
  'sectionCut',
  'viewMode',
  'xray',
  'heatmap',
  'heatmapMetric',
  'heatmapCell',
  'heatmapTx',
  'heatmapZ',
  'heatmapBounds',
  'heatmapRange',
  'trace',
  'calibrationRecord',
  'soundings',
  'suggestedRx',
] as const satisfies readonly (keyof RootState)[];
type Persisted = Pick<RootState, (typeof PERSISTED)[number]>;

interface TwinRecord {
  /** ties a state record to the twin it belongs to */
  generation: string;
  source: TwinSource;
  sceneName: string;
}
interface StateRecord {
  generation: string;
  savedAt: string;
  state: Persisted;
}

const DB_NAME = 'rftwin-studio';
const STORE = 'workspace';
const SAVE_DELAY_MS = 300;

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB cannot be opened'));
  });
}

async function transact<T>(
  mode: IDBTransactionMode,
  fn: (store: IDBObjectStore) => IDBRequest<T> | undefined,
) {
  const db = await openDb();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req?.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

const put = (key: string, value: unknown) => transact('readwrite', (s) => s.put(value, key));
const get = <T>(key: string) => transact<T>('readonly', (s) => s.get(key) as IDBRequest<T>);

/** The generation of the twin shown now (null until its source is saved, and while restoring). */
let generation: string | null = null;
let restoring = false;
/** writes happen one after another, in the order they were asked for */
let writes: Promise<unknown> = Promise.resolve();
let timer: ReturnType<typeof setTimeout> | undefined;
let reported = false;

function queue(write: () => Promise<unknown>) {
  writes = writes.then(write).catch((e) => {
    if (reported) return;
    reported = true; // once per session: a full or blocked storage is said, not repeated
    reportError(`Workspace not saved in the browser: ${(e as Error).message}`);
  });
  return writes;
}

/** Keep the source of the twin just adopted (scene files as read, the demo, a twin JSON). */
export function saveTwinSource(source: TwinSource) {
  if (restoring) return;
  const twin = studio.get().twin;
  if (!twin) return;
  const g = `${Date.now().toString(36)}-${twin.sceneId}`;
  generation = g;
  const kept: TwinSource =
    source.kind === 'files'
      ? { ...source, files: source.files.filter((f) => !/\.(csv|json|png|jpe?g|webp)$/i.test(f.path)) }
      : source;
  void queue(() =>
    put('twin', { generation: g, source: kept, sceneName: twin.scene.name } satisfies TwinRecord),
  );
  scheduleSave();
}

function persisted(s: RootState): Persisted {
  return Object.fromEntries(PERSISTED.map((k) => [k, s[k]])) as Persisted;
}

function scheduleSave() {
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (!generation || restoring) return;
    const g = generation;
    const record: StateRecord = {
      generation: g,
      savedAt: new Date().toISOString(),
      state: persisted(studio.get()),
    };
    void queue(() => put('state', record));
  }, SAVE_DELAY_MS);
}

/** Save the workspace shortly after each change of what it keeps. */
export function installAutosave() {
  return useStudio.subscribe((s, prev) => {
    if (PERSISTED.some((k) => s[k] !== prev[k])) scheduleSave();
  });
}

/**
 * Load the saved workspace, if any: the twin from its source (`load`), then its state. Returns
 * false when there is none (or it cannot be read), and the caller opens the demo instead.
 */
export async function restoreWorkspace(load: (source: TwinSource) => Promise<boolean>): Promise<boolean> {
  let twinRecord: TwinRecord | undefined;
  let stateRecord: StateRecord | undefined;
  try {
    twinRecord = await get<TwinRecord>('twin');
    stateRecord = await get<StateRecord>('state');
  } catch {
    return false; // no IndexedDB (private mode): start as new
  }
  if (!twinRecord) return false;
  restoring = true;
  try {
    if (!(await load(twinRecord.source))) return false;
    generation = twinRecord.generation;
    if (stateRecord && stateRecord.generation === twinRecord.generation) {
      const state = stateRecord.state;
      quietly(() => studio.set({ ...state, selection: null, selectedDeviceId: null }));
    }
    clearHistory();
    const s = studio.get();
    setStatus({
      level: 'ok',
      message: `Restored the workspace${stateRecord ? ` saved ${new Date(stateRecord.savedAt).toLocaleString()}` : ''}: ${
        twinRecord.sceneName
      }, ${s.devices.length} devices, ${Object.values(s.materials).filter((m) => m.source === 'manual').length} overrides`,
    });
    return true;
  } finally {
    restoring = false;
  }
}

/** Forget the saved workspace and start again from the initial state (the caller opens the demo). */
export async function clearWorkspace() {
  clearTimeout(timer);
  generation = null;
  await queue(() => transact('readwrite', (s) => s.clear()));
  const initial = useStudio.getInitialState();
  quietly(() => studio.set({ ...persisted(initial), selection: null, selectedDeviceId: null }));
  clearHistory();
}
