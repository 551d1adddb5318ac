import { InputError, parseJsonText, unzipCapped } from '../../engine/core/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { quietly } from '../history.ts';
import { type LoadedTwin, reportError, type StudioMaterial, setStatus, studio } from '../store.ts';
import { parseTwinJson, translatorOfTwin } from '../twin/twinJson.ts';
import { applyPriorsFile, isPriorsFile } from '../vision/applyPriorsFile.ts';
import { isTranslatorFile, loadTranslatorFile } from '../vision/translatorActions.ts';
import { engine } from '../worker/bridge.ts';
import type { InputFile } from '../worker/protocol.ts';
import { saveTwinSource, type TwinSource } from '../workspace.ts';
import { LIMITS, readBrowserFiles } from './browserFiles.ts';
import { actorsFromLines } from './dynamics.ts';
import { clearResults } from './results.ts';
import { acceptSoundings, acceptVisionInputs } from './sideInputs.ts';
import { loadFaceSides } from './view.ts';

const ext = (path: string) => path.split('.').pop()!.toLowerCase();
const base = (path: string) => path.split('/').pop()!;
const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'webp']);

/** Read and open dropped or picked files; every problem is reported in the status line. */
export async function openBrowserFiles(files: Iterable<File>): Promise<void> {
  let inputs: InputFile[];
  try {
    inputs = await readBrowserFiles(files);
  } catch (e) {
    reportError((e as Error).message);
    return;
  }
  await openInputs(inputs);
}

/** Zips (a twin exported by the studio, a zipped Sionna scene) are opened in place, bombs refused. */
function expandZips(files: InputFile[]): InputFile[] {
  const out: InputFile[] = [];
  for (const f of files) {
    if (ext(f.path) === 'zip') out.push(...unzipCapped(f.data, f.path, LIMITS));
    else out.push(f);
  }
  return out;
}

function parseJsonFile(f: InputFile): unknown {
  if (f.data.length > 2 ** 29 - 24) throw new InputError(f.path, 'file', 'is too large to read as JSON text');
  return parseJsonText(new TextDecoder().decode(f.data), f.path);
}

/** The scene file among dropped files: a Sionna/Mitsuba XML wins (its PLYs are its meshes), then glTF, OBJ, PLY. */
function sceneEntry(files: InputFile[]): InputFile | undefined {
  for (const e of ['xml', 'glb', 'gltf', 'obj', 'ply']) {
    const f = files.find((x) => ext(x.path) === e);
    if (f) return f;
  }
  return undefined;
}

function evidenceFor(m: Scene['materials'][string], file: string): string {
  switch (m.source) {
    case 'scene':
      return `bsdf '${m.id}' in ${base(file)}`;
    case 'name':
      return m.spec.kind === 'itu'
        ? `ITU '${m.spec.ituName}' matched from the name '${m.id}'`
        : `from the name '${m.id}'`;
    case 'default':
      return `no ITU material matches '${m.id}'; traced as concrete until set`;
    default:
      return m.source;
  }
}

/** Make a loaded scene the studio's twin (only called once loading fully succeeded). */
export function adoptTwin(
  loaded: { sceneId: number; scene: Scene },
  inputs: string[],
  materials?: Record<string, StudioMaterial>,
  objectMaterial?: string[],
) {
  const previous = studio.get().twin;
  const mats: Record<string, StudioMaterial> =
    materials ??
    Object.fromEntries(
      Object.entries(loaded.scene.materials).map(([id, m]) => [
        id,
        {
          ...m,
          confidence: m.source === 'default' ? 0 : 1,
          evidence: evidenceFor(m, inputs[0] ?? loaded.scene.name),
        },
      ]),
    );
  const twin: LoadedTwin = { sceneId: loaded.sceneId, scene: loaded.scene, inputs };
  clearResults();
  studio.set({
    twin,
    materials: mats,
    objectMaterial: objectMaterial ?? loaded.scene.objects.map((o) => o.materialId),
    selection: null,
    selectedDeviceId: null,
    devices: [],
    // a calibration belongs to the twin it ran on (the translator is fitted from it)
    calibrationRecord: null,
    hiddenObjects: [],
    sectionCut: null,
    xrayFaces: null,
    // actors walk in the twin they were drawn in (a twin JSON brings its own)
    actors: [],
    drawingWalk: null,
    timeline: null,
  });
  void loadFaceSides(twin.sceneId);
  if (previous) void engine().call('dropScene', { sceneId: previous.sceneId });
  const warn = loaded.scene.warnings.length
    ? ` (${loaded.scene.warnings.length} warnings: ${loaded.scene.warnings[0]})`
    : '';
  setStatus({
    level: 'ok',
    message: `Loaded ${loaded.scene.name}: ${loaded.scene.objects.length} objects, ${loaded.scene.triangleObject.length} triangles, ${Object.keys(mats).length} materials${warn}`,
  });
}

/**
 * Open whatever the person dropped: a scene with its meshes, a saved twin, soundings, images
 * with transforms.json. A scene is loaded into a new engine scene and swapped in only on
 * success, so a bad file leaves the current twin untouched and says which file is wrong.
 */
export async function openInputs(rawFiles: InputFile[]): Promise<void> {
  if (rawFiles.length === 0) return;
  const names = rawFiles.map((f) => f.path).join(', ');
  setStatus({ level: 'busy', message: `Reading ${names}…` });
  try {
    const files = expandZips(rawFiles);
    const jsons = files.filter((f) => ext(f.path) === 'json');
    const twinFile = jsons.find((f) => {
      const v = parseJsonFile(f) as { format?: string };
      return v?.format === 'rftwin-twin';
    });
    if (twinFile) {
      await openTwinJson(twinFile);
      return;
    }
    const transforms = jsons.find((f) => base(f.path) === 'transforms.json');
    // a priors file (rftwin priors, or saved from the Vision panel) sets materials, like a priors run
    const priors = jsons.filter((f) => f !== transforms && isPriorsFile(parseJsonFile(f)));
    // a translator file (rftwin translator, or saved from the Vision panel) is held for applying
    const translators = jsons.filter((f) => isTranslatorFile(parseJsonFile(f)));
    const images = files.filter((f) => IMAGE_EXTENSIONS.has(ext(f.path)));
    const soundings = files.filter(
      (f) =>
        ext(f.path) === 'csv' ||
        (ext(f.path) === 'json' && f !== transforms && !priors.includes(f) && !translators.includes(f)),
    );
    const entry = sceneEntry(files);
    if (
      !entry &&
      !transforms &&
      soundings.length === 0 &&
      images.length === 0 &&
      priors.length === 0 &&
      translators.length === 0
    ) {
      const e = ext(rawFiles[0]!.path);
      throw new InputError(
        rawFiles[0]!.path,
        undefined,
        `unsupported file type '.${e}' (expected a scene .xml+.ply, .glb/.gltf, .obj+.mtl, .ply; soundings .csv/.json; a twin .json or .zip; images with transforms.json)`,
      );
    }
    if (entry) {
      const loaded = await engine().call('loadScene', { files, entry: entry.path });
      const inputs = files.filter((f) => ext(f.path) !== 'csv').map((f) => f.path);
      adoptTwin(loaded, inputs);
      saveTwinSource({ kind: 'files', files, entry: entry.path, inputs });
    }
    for (const p of priors) applyPriorsFile(p);
    for (const t of translators) loadTranslatorFile(t);
    for (const s of soundings) await acceptSoundings(s);
    if (transforms || images.length > 0) await acceptVisionInputs(files, transforms, images);
  } catch (e) {
    reportError((e as Error).message);
  }
}

async function openTwinJson(f: InputFile) {
  await loadTwinJson(f);
  saveTwinSource({ kind: 'twin-json', file: f });
}

async function loadTwinJson(f: InputFile) {
  const twin = parseTwinJson(parseJsonFile(f), f.path);
  const materials: Record<string, StudioMaterial> = {};
  for (const [id, m] of Object.entries(twin.materials)) {
    materials[id] = {
      id,
      spec: m.spec,
      source: m.source,
      confidence: m.confidence,
      evidence: m.evidence,
      calibration: m.calibration,
    };
  }
  const loaded = await engine().call('buildTwinScene', {
    name: twin.name,
    objects: twin.objects.map((o) => ({
      name: o.name,
      materialId: o.material,
      vertices: o.vertices,
      indices: o.indices,
    })),
    materials: Object.fromEntries(
      Object.entries(materials).map(([id, m]) => [id, { id, spec: m.spec, source: m.source }]),
    ),
    file: f.path,
  });
  adoptTwin(
    loaded,
    [f.path, ...(twin.provenance?.inputs ?? [])],
    materials,
    twin.objects.map((o) => o.material),
  );
  // part of opening the twin, not an edit to undo
  quietly(() =>
    studio.set({
      ...(twin.translator ? { translator: translatorOfTwin(twin.translator) } : {}),
      frequencyHz: twin.frequency_hz,
      devices: twin.devices.map((d, i) => ({
        id: `${d.kind}-t${i}`,
        kind: d.kind,
        name: d.name,
        position: d.position,
      })),
      actors: twin.actors ? actorsFromLines(twin.actors, f.path) : [],
      timeline: null,
    }),
  );
}

/** Load a twin again from its saved source (restoring the workspace); false when it cannot be. */
export async function loadTwinSource(source: TwinSource): Promise<boolean> {
  try {
    if (source.kind === 'demo') return await openDemo();
    if (source.kind === 'twin-json') {
      await loadTwinJson(source.file);
      return true;
    }
    const loaded = await engine().call('loadScene', { files: source.files, entry: source.entry });
    adoptTwin(loaded, source.inputs);
    return true;
  } catch (e) {
    reportError(`Saved workspace: ${(e as Error).message}; opening the demo twin`);
    return false;
  }
}

/** The embedded demo twin (public/demo/room.xml and its meshes), fetched from the app itself: no network. */
export async function openDemo(): Promise<boolean> {
  const root = `${import.meta.env.BASE_URL}demo/`;
  try {
    setStatus({ level: 'busy', message: 'Loading the demo twin…' });
    const xmlResponse = await fetch(`${root}room.xml`);
    if (!xmlResponse.ok) throw new Error(`demo/room.xml: HTTP ${xmlResponse.status}`);
    const xml = new Uint8Array(await xmlResponse.arrayBuffer());
    const meshNames = [...new TextDecoder().decode(xml).matchAll(/name="filename"\s+value="([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    const files: InputFile[] = [{ path: 'room.xml', data: xml }];
    for (const name of meshNames) {
      const r = await fetch(`${root}${name}`);
      if (!r.ok) throw new Error(`demo/${name}: HTTP ${r.status}`);
      files.push({ path: name, data: new Uint8Array(await r.arrayBuffer()) });
    }
    const loaded = await engine().call('loadScene', { files, entry: 'room.xml' });
    adoptTwin(loaded, ['demo/room.xml', ...meshNames.map((n) => `demo/${n}`)]);
    saveTwinSource({ kind: 'demo' });
    return true;
  } catch (e) {
    reportError(`Demo twin: ${(e as Error).message}`);
    return false;
  }
}
