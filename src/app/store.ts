import { create } from 'zustand';
import { DEFAULT_MAX_RELATIVE_STD } from '../engine/calibrate/index.ts';
import { type BackendChoice, DEFAULT_CHANNEL_SETTINGS } from '../engine/channel/index.ts';
import type { Vec3 } from '../engine/core/index.ts';
import type { AntennaSpec } from '../engine/field/index.ts';
import type { Sounding } from '../engine/io/index.ts';
import type { SceneMaterial } from '../engine/materials/index.ts';
import {
  type ColorRange,
  DEFAULT_COLOR_RANGE,
  type RadioMap,
  type RadioMapMetric,
} from '../engine/radiomap/index.ts';
import type { Scene } from '../engine/scene/index.ts';
import type { PriorsFile, TranslatorBackend, TranslatorJson } from '../engine/vision/index.ts';
import { DEFAULT_CLIP_MODEL } from '../engine/vision/index.ts';
import type { SectionCut } from './geometry/picking.ts';
import type { CompactTrace } from './worker/compactTrace.ts';
import { defaultMapWorkers } from './worker/mapWorkers.ts';
import type {
  BackendUsed,
  BeamLinkResponse,
  EngineRequests,
  StudioChannelSettings,
  SuggestedRx,
  VisionPriorsOutcome,
} from './worker/protocol.ts';

export type DeviceKind = 'tx' | 'rx';

/** An actor that walks through the twin (engine dynamics): a person or a box, along waypoints at a speed. */
export interface StudioActor {
  id: string;
  kind: 'human' | 'box';
  /** base positions on the floor, walked in order */
  waypoints: Vec3[];
  /** m/s */
  speed: number;
}

export interface Device {
  id: string;
  kind: DeviceKind;
  name: string;
  position: Vec3;
  /** this device's antenna (pattern, polarisation, orientation); the channel settings' when absent */
  antenna?: AntennaSpec;
  /** a transmitter's power (dBm); the channel settings' when absent */
  txPowerDbm?: number;
  /** this device's antenna array and codebook (docs/physics.md §15): "8x8", "dft" | "sectors:K" | "horns:K" */
  beams?: { size: string; codebook: string };
}

/** A material as the studio shows it: the engine's material plus how sure we are and why. */
export interface StudioMaterial extends SceneMaterial {
  /** 0..1; priors from vision carry the matcher's confidence, names and scene files 1 */
  confidence?: number;
  /** one line a person can check: "bsdf itu_brick in room.xml", "CLIP top-3 …", "calibrated from 50 soundings" */
  evidence?: string;
  /** what the last applied calibration said about this material (also in the exported twin) */
  calibration?: MaterialCalibration;
  /** how sure a prior's values are (the priors file's `<param>_std`): calibration's prior width on them */
  priorStd?: Partial<Record<'relative_permittivity' | 'conductivity' | 'scattering_coefficient', number>>;
}

/**
 * A calibration's verdict on one material, as the twin file records it: each trained parameter
 * with its estimate, standard deviation and the value before (prior), and whether it replaced
 * the prior (calibrated) or not, and why. null stands for a number that is not finite.
 */
export interface MaterialCalibration {
  /** every trained parameter calibrated, some of them, or none (the material keeps its prior) */
  status: 'calibrated' | 'partly calibrated' | 'not calibrated';
  soundings: string;
  /** the threshold on std/|estimate| the estimates were held to */
  max_relative_std: number;
  parameters: Record<
    string,
    {
      estimate: number;
      std: number | null;
      relative_std: number | null;
      prior: number;
      calibrated: boolean;
      reason?: string;
    }
  >;
}

/** The translator the studio holds: fitted here or loaded from a file, and where it has been applied. */
export interface StudioTranslator {
  json: TranslatorJson;
  /** file name it is saved under / was loaded from */
  name: string;
  /** the tfjs backend that last ran it, and why when it is not WebGPU */
  backend?: TranslatorBackend;
  backendNote?: string;
  /** objects it learned from and those left out (when fitted in this session) */
  used?: string[];
  skipped?: string[];
  /** twin and materials it set the priors of, last time it was applied */
  applied?: { twin: string; materials: string[]; outside: string[] };
}

/** A job of the vision worker in progress, shown with its own bar and Cancel in the Vision panel. */
export interface VisionJob {
  kind: 'priors' | 'fit' | 'apply';
  message: string;
  progress?: number;
  cancel: () => void;
}

export interface LoadedTwin {
  /** id of the scene in the engine worker */
  sceneId: number;
  scene: Scene;
  /** the files it came from (provenance) */
  inputs: string[];
}

export type StatusLevel = 'info' | 'busy' | 'ok' | 'error';

export interface Status {
  level: StatusLevel;
  message: string;
  /** 0..1 while a long job runs */
  progress?: number;
  /** the running job can be cancelled (status bar shows a Cancel button) */
  cancel?: () => void;
}

export interface Selection {
  objectIndex: number;
  faceIndex: number;
  point: Vec3;
}

export interface GpuInfo {
  checked: boolean;
  available: boolean;
  adapter?: string;
  reason?: string;
}

export interface RootState {
  twin: LoadedTwin | null;
  materials: Record<string, StudioMaterial>;
  /** material id of each object (index = scene object index); overrides of one object reassign here */
  objectMaterial: string[];
  frequencyHz: number;
  devices: Device[];
  selection: Selection | null;
  selectedDeviceId: string | null;
  /** placing a device with the next click in the viewport */
  placing: DeviceKind | null;
  /** height above the clicked floor at which a device is placed (m) */
  placeHeight: number;
  /** device being dragged in the viewport */
  dragging: { id: string } | null;
  /** draw surfaces see-through to look inside closed scenes */
  xray: boolean;
  status: Status;
  /** every error shown this session, newest last (for the log) */
  errorLog: string[];
  gpu: GpuInfo;
  /** measured links uploaded for calibration */
  soundings: { file: string; items: Sounding[] } | null;
  /** images + transforms.json waiting for the vision priors */
  visionInputs: { transforms: string; images: string[] } | null;
  /** CLIP model for the vision priors: a hub id (browser cache) or a folder served by the app */
  visionModel: string;
  /** where CLIP runs: auto (WebGPU on a hardware adapter, else wasm), or forced */
  visionDevice: 'auto' | 'webgpu' | 'wasm';
  /**
   * the last vision priors run on the loaded twin (sceneId says which twin); `clipFile` keeps the
   * CLIP priors when a translator has replaced some values in `file`
   */
  visionPriors:
    | (VisionPriorsOutcome & { sceneId: number; loadedFrom?: string; clipFile?: PriorsFile })
    | null;
  /** the vision worker's job in progress (priors, translator fit or application) */
  visionJob: VisionJob | null;
  translator: StudioTranslator | null;
  /** the channel settings every trace, map, calibration and plan uses (as the CLI's flags) */
  channelSettings: StudioChannelSettings;
  /** where the engine runs: auto (per job, from the adapter and the benchmark), cpu or webgpu */
  backendChoice: BackendChoice;
  /** paths and metrics of every Tx–Rx link for the current devices and materials */
  trace: { compact: CompactTrace; elapsedMs: number; extrapolated: string[]; backend: BackendUsed } | null;
  tracing: boolean;
  /** link shown in the metrics panel (index into trace.links) */
  selectedLink: number | null;
  /** path under the mouse in the viewport (or a row of the path table: no tooltip then) */
  hoveredPath: { link: number; path: number; x: number; y: number; fromTable?: boolean } | null;
  heatmap: RadioMap | null;
  /** the beam pairs of one link (gain matrix, best pair, lobe), with the devices it is of */
  beamLink: { txId: string; rxId: string; result: BeamLinkResponse } | null;
  heatmapMetric: RadioMapMetric;
  heatmapCell: number;
  heatmapHover: { x: number; y: number; value: number } | null;
  /** transmitter of the next map: a device id, 'all' (best server of every Tx), null = the first Tx */
  heatmapTx: string | null;
  /** height of the map's plane (m, absolute z); null = 1.5 m above the scene's floor */
  heatmapZ: number | null;
  /** area of the map: xmin, ymin, xmax, ymax (m); null = the scene's footprint */
  heatmapBounds: [number, number, number, number] | null;
  /** the next click-and-drag in the viewport draws the map's area instead of orbiting */
  heatmapAreaDrag: boolean;
  /** colour range of the map (2nd–98th percentile by default, or manual) */
  heatmapRange: ColorRange;
  /** how long the map as set up would take (from a timed coarse map), for the settings `key` */
  heatmapEstimate: { key: string; seconds: number; probeCells: number; backendLabel: string } | null;
  /** a map above 10⁶ cells waits for the person's confirmation (cells, estimated seconds if known) */
  heatmapConfirm: { cells: number; seconds?: number } | null;
  /** Web Workers for a CPU radio map (worker/webWorkerPool.ts); 1: the engine worker alone */
  mapWorkers: number;
  /** largest relative uncertainty (std/|estimate|) of an estimate that Apply writes to the twin */
  calibrationMaxRelativeStd: number;
  /** soundings the loaded twin cannot predict (outside its volume, inside an object), for sceneId */
  soundingWarnings: { sceneId: number; file: string; warnings: string[] } | null;
  /** frequencies outside ITU-R P.2040's validity range are accepted (the person opted in) */
  allowExtrapolation: boolean;
  /** settings and result of the last calibration, recorded in exported twins */
  calibrationRecord: unknown;
  /** the calibration in progress: running or paused by the person (null when none runs) */
  calibrationRun: 'running' | 'paused' | null;
  /**
   * the last iteration before the engine worker acknowledged Pause (it is parked there and runs
   * no iteration until Resume); null while it runs or before the acknowledgement arrives
   */
  calibrationPausedAt: number | null;
  /** receiver positions suggested by measurement planning (drawn in the viewport) */
  suggestedRx: SuggestedRx[];
  /** objects the person hid from the view (and from picking); tracing still sees them */
  hiddenObjects: number[];
  /** section plane / ceiling cut of the view (and of picking) */
  sectionCut: SectionCut | null;
  /** perspective orbit, or the orthographic view from the top */
  viewMode: 'perspective' | 'top';
  /** per face, the sides X-ray sees through (computed by the engine worker once per scene) */
  xrayFaces: { sceneId: number; seeThrough: Uint8Array } | null;
  /** what Undo / Redo would do ("move Tx 1"), null when nothing */
  undoLabel: string | null;
  redoLabel: string | null;
  /** actors that move through the twin (Dynamics panel; saved in the twin JSON) */
  actors: StudioActor[];
  /** the actor whose walk the next clicks on the Dynamics panel's floor plan draw */
  drawingWalk: string | null;
  /** the last timeline computed, the step shown, and whether it plays */
  timeline: EngineRequests['timeline']['response'] | null;
  timelineIndex: number;
  timelinePlaying: boolean;
  /** a measured trace uploaded to overlay on the timeline and fit the blocker to (issue 14) */
  measuredTrace: { file: string; t: number[]; gainDb: number[] } | null;
  /** the trace's RMS noise (dB) the fit assumes: a fit leaving more than twice it is not calibrated */
  traceNoiseDb: number;
  /** the last blocker fit to that trace */
  blockerFit: EngineRequests['fitBlocker']['response'] | null;
  set: (partial: Partial<RootState> | ((s: RootState) => Partial<RootState>)) => void;
}

export const useStudio = create<RootState>()((set) => ({
  twin: null,
  materials: {},
  objectMaterial: [],
  frequencyHz: 28e9,
  devices: [],
  selection: null,
  selectedDeviceId: null,
  placing: null,
  placeHeight: 1.5,
  dragging: null,
  xray: false,
  status: { level: 'info', message: 'Starting…' },
  errorLog: [],
  gpu: { checked: false, available: false },
  soundings: null,
  visionInputs: null,
  visionModel: DEFAULT_CLIP_MODEL,
  visionDevice: 'auto',
  visionPriors: null,
  visionJob: null,
  translator: null,
  calibrationRecord: null,
  calibrationRun: null,
  calibrationPausedAt: null,
  suggestedRx: [],
  hiddenObjects: [],
  sectionCut: null,
  viewMode: 'perspective',
  xrayFaces: null,
  undoLabel: null,
  redoLabel: null,
  channelSettings: DEFAULT_CHANNEL_SETTINGS,
  backendChoice: 'auto',
  trace: null,
  tracing: false,
  heatmap: null,
  beamLink: null,
  heatmapMetric: 'path-gain',
  heatmapCell: 0.25,
  heatmapHover: null,
  heatmapTx: null,
  heatmapZ: null,
  heatmapBounds: null,
  heatmapAreaDrag: false,
  heatmapRange: DEFAULT_COLOR_RANGE,
  heatmapEstimate: null,
  heatmapConfirm: null,
  mapWorkers: defaultMapWorkers(),
  calibrationMaxRelativeStd: DEFAULT_MAX_RELATIVE_STD,
  soundingWarnings: null,
  allowExtrapolation: false,
  selectedLink: null,
  hoveredPath: null,
  actors: [],
  drawingWalk: null,
  timeline: null,
  timelineIndex: 0,
  timelinePlaying: false,
  measuredTrace: null,
  traceNoiseDb: 1,
  blockerFit: null,
  set: (partial) => set(partial),
}));

/** Shorthand for updates from outside React. */
export const studio = {
  get: () => useStudio.getState(),
  set: (partial: Partial<RootState> | ((s: RootState) => Partial<RootState>)) => useStudio.setState(partial),
};

export function setStatus(status: Status) {
  studio.set({ status });
}

export function reportError(message: string) {
  studio.set((s) => ({ status: { level: 'error', message }, errorLog: [...s.errorLog, message] }));
}

let deviceCounter = 0;
export function newDeviceId(kind: DeviceKind) {
  deviceCounter += 1;
  return `${kind}-${deviceCounter}`;
}
