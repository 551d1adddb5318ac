import { parseActorsFile, parseMeasuredTrace } from '../../engine/dynamics/index.ts';
import { reportError, type StudioActor, setStatus, studio } from '../store.ts';
import { engine } from '../worker/bridge.ts';
import { readBrowserFiles } from './browserFiles.ts';
import { channelRequest } from './channelRequest.ts';
import { download, safe } from './exportTwin.ts';

/** Step of the studio's timelines (s). */
export const TIMELINE_DT = 0.1;

let counter = 0;

/** Add a person (the engine's human proxy) or a box; its walk is drawn next. */
export function addActor(kind: StudioActor['kind']) {
  counter += 1;
  const id = `${kind === 'human' ? 'person' : 'box'}-${counter}`;
  studio.set((s) => ({
    actors: [...s.actors, { id, kind, waypoints: [], speed: kind === 'human' ? 1 : 2 }],
    drawingWalk: id,
    timeline: null,
  }));
}

export function removeActor(id: string) {
  studio.set((s) => ({
    actors: s.actors.filter((a) => a.id !== id),
    drawingWalk: s.drawingWalk === id ? null : s.drawingWalk,
    timeline: null,
  }));
}

/** Start or stop drawing an actor's walk on the floor plan. */
export function toggleDrawWalk(id: string) {
  studio.set((s) => ({ drawingWalk: s.drawingWalk === id ? null : id }));
}

/** A click on the floor plan while drawing: the next waypoint, on the floor. */
export function addWaypoint(x: number, y: number) {
  const s = studio.get();
  if (!s.drawingWalk || !s.twin) return;
  const z = s.twin.scene.bbox.min[2];
  studio.set({
    actors: s.actors.map((a) =>
      a.id === s.drawingWalk ? { ...a, waypoints: [...a.waypoints, [x, y, z]] } : a,
    ),
    timeline: null,
  });
}

export function clearWalk(id: string) {
  studio.set((s) => ({
    actors: s.actors.map((a) => (a.id === id ? { ...a, waypoints: [] } : a)),
    timeline: null,
  }));
}

/** The actors with a walk as actors-file declarations (README "Actors and timelines"). */
export function actorDeclarations(actors: readonly StudioActor[]): Record<string, unknown>[] {
  return actors
    .filter((a) => a.waypoints.length > 0)
    .map((a) => ({
      actor: a.id,
      kind: a.kind,
      ...(a.kind === 'box' ? { size: [1.0, 0.6, 1.0] } : {}),
      waypoints: a.waypoints,
      speed: a.speed,
    }));
}

/** The actors as an actors file (JSON lines). */
export const actorsFileText = (actors: readonly StudioActor[]): string =>
  actorDeclarations(actors)
    .map((a) => JSON.stringify(a))
    .join('\n');

/** Actors from an actors file's declarations with waypoints (the twin JSON's `actors`), checked by the engine's parser. */
export function actorsFromLines(lines: readonly unknown[], file: string): StudioActor[] {
  const text = lines.map((l) => JSON.stringify(l)).join('\n');
  const parsed = parseActorsFile(text, file);
  return parsed.actors.map((a) => {
    const track = parsed.tracks.get(a.id)!;
    const decl = lines.find((l) => (l as { actor?: string }).actor === a.id) as { speed?: number };
    return {
      id: a.id,
      kind: a.shape.kind === 'box' ? 'box' : 'human',
      waypoints: track.position.map((p) => [...p] as StudioActor['waypoints'][number]),
      speed: decl.speed ?? 1,
    };
  });
}

let running: AbortController | null = null;

/** The timeline of the first Tx to the selected (or first) Rx while the actors walk. */
export async function runTimeline() {
  const s = studio.get();
  const tx = s.devices.find((d) => d.kind === 'tx');
  const rxs = s.devices.filter((d) => d.kind === 'rx');
  const rx = rxs.find((d) => d.id === s.selectedDeviceId) ?? rxs[0];
  if (!s.twin || !tx || !rx) {
    reportError('Timeline: place a transmitter and a receiver first');
    return;
  }
  const actors = actorsFileText(s.actors);
  if (actors === '') {
    reportError('Timeline: add a person or a box and draw its walk (click points on the floor plan)');
    return;
  }
  running?.abort();
  const ac = new AbortController();
  running = ac;
  stopPlaying();
  setStatus({ level: 'busy', message: 'Timeline…', progress: 0, cancel: () => ac.abort() });
  try {
    const result = await engine().call(
      'timeline',
      {
        ...channelRequest(s),
        tx: tx.position,
        rx: rx.position,
        actors,
        dt: TIMELINE_DT,
        // with a measured trace loaded, the steps are its samples (overlay and fit line up)
        ...(s.measuredTrace ? { times: s.measuredTrace.t } : {}),
      },
      {
        signal: ac.signal,
        onProgress: (p) =>
          setStatus({ level: 'busy', message: p.message, progress: p.fraction, cancel: () => ac.abort() }),
      },
    );
    studio.set({ timeline: result, timelineIndex: 0, drawingWalk: null });
    const warn = result.warnings.length > 0 ? `; ${result.warnings.join('; ')}` : '';
    setStatus({
      level: result.warnings.length > 0 ? 'error' : 'ok',
      message: `Timeline: ${result.steps.length} steps in ${(result.elapsedMs / 1000).toFixed(1)} s (${result.incremental} incremental)${warn}`,
    });
  } catch (e) {
    if (ac.signal.aborted) setStatus({ level: 'info', message: 'Timeline cancelled' });
    else reportError(`Timeline: ${(e as Error).message}`);
  } finally {
    if (running === ac) running = null;
  }
}

let timer: ReturnType<typeof setInterval> | undefined;

export function stopPlaying() {
  clearInterval(timer);
  timer = undefined;
  studio.set({ timelinePlaying: false });
}

/** Play the timeline in real time from the step shown (from the start when at its end). */
export function togglePlay() {
  const s = studio.get();
  if (s.timelinePlaying || !s.timeline) {
    stopPlaying();
    return;
  }
  const n = s.timeline.steps.length;
  if (s.timelineIndex >= n - 1) studio.set({ timelineIndex: 0 });
  studio.set({ timelinePlaying: true });
  timer = setInterval(() => {
    const i = studio.get().timelineIndex + 1;
    if (i >= n) stopPlaying();
    else studio.set({ timelineIndex: i });
  }, TIMELINE_DT * 1000);
}

/** The timeline as JSON lines: a header, then the steps as `rftwin timeline` writes them. */
export function exportTimeline() {
  const s = studio.get();
  if (!s.twin || !s.timeline) return;
  const header = JSON.stringify({
    header: {
      scene: s.twin.scene.name,
      frequency_hz: s.frequencyHz,
      dt_s: TIMELINE_DT,
      steps: s.timeline.steps.length,
      actors: actorDeclarations(s.actors),
      warnings: s.timeline.warnings,
    },
  });
  const name = `${safe(s.twin.scene.name)}.timeline.jsonl`;
  download(name, `${header}\n${s.timeline.lines}`, 'application/x-ndjson');
  setStatus({ level: 'ok', message: `Exported ${name}` });
}

/**
 * A measured trace (CSV `t,path_gain_db` or `t,rx_power_dbm`, the received power less the
 * channel's Tx power) to overlay on the timeline and fit the blocker to. A bad file is one line
 * naming it and the row; what was loaded before stays.
 */
export async function loadMeasuredTrace(file: File) {
  const s = studio.get();
  try {
    // the studio's size limit for dropped files, checked before the bytes are read
    const [input] = await readBrowserFiles([file]);
    const trace = parseMeasuredTrace(input!.data, file.name, s.channelSettings.txPowerDbm);
    studio.set({
      measuredTrace: { file: file.name, t: trace.t, gainDb: trace.gainDb },
      timeline: null,
      blockerFit: null,
    });
    setStatus({
      level: 'ok',
      message: `Measured trace ${file.name}: ${trace.t.length} samples, ${trace.t[0]}–${trace.t[trace.t.length - 1]} s; run the timeline to compare`,
    });
  } catch (e) {
    reportError((e as Error).message);
  }
}

export function clearMeasuredTrace() {
  studio.set({ measuredTrace: null, blockerFit: null, timeline: null });
}

/** Candidate materials of the blocker fit (engine actorMaterialFromName names). */
export const FIT_MATERIALS = ['skin', 'absorber', 'metal'];

/**
 * Fit the first walking actor's dimensions and material to the measured trace (the engine's
 * blocker fit, `rftwin timeline --fit`); progress and cancel in the status bar.
 */
export async function fitToTrace() {
  const s = studio.get();
  const tx = s.devices.find((d) => d.kind === 'tx');
  const rxs = s.devices.filter((d) => d.kind === 'rx');
  const rx = rxs.find((d) => d.id === s.selectedDeviceId) ?? rxs[0];
  const actor = actorDeclarations(s.actors)[0];
  if (!s.twin || !tx || !rx || !s.measuredTrace || !actor) {
    reportError('Fit: load a measured trace, place a Tx and an Rx, and draw a walk first');
    return;
  }
  running?.abort();
  const ac = new AbortController();
  running = ac;
  setStatus({ level: 'busy', message: 'Fit…', progress: 0, cancel: () => ac.abort() });
  try {
    const fit = await engine().call(
      'fitBlocker',
      {
        ...channelRequest(s),
        tx: tx.position,
        rx: rx.position,
        actors: actorsFileText(s.actors),
        actorId: actor.actor as string,
        trace: { t: s.measuredTrace.t, gainDb: s.measuredTrace.gainDb, file: s.measuredTrace.file },
        candidates: FIT_MATERIALS,
        noiseDb: s.traceNoiseDb,
      },
      {
        signal: ac.signal,
        onProgress: (p) =>
          setStatus({ level: 'busy', message: p.message, progress: p.fraction, cancel: () => ac.abort() }),
      },
    );
    studio.set({ blockerFit: fit });
    setStatus({
      level: 'ok',
      message: `Fit: ${fit.timelines} timelines, residual ${fit.rmsDb.toFixed(2)} dB RMS`,
    });
  } catch (e) {
    if (ac.signal.aborted) setStatus({ level: 'info', message: 'Fit cancelled' });
    else reportError(`Fit: ${(e as Error).message}`);
  } finally {
    if (running === ac) running = null;
  }
}
