import type { LossKind, OptimizerKind } from '../../engine/calibrate/index.ts';
import type { BackendChoice, ChannelSettings } from '../../engine/channel/index.ts';
import type { Vec3 } from '../../engine/core/index.ts';
import type { BlockerFit } from '../../engine/dynamics/index.ts';
import type { AntennaSpec } from '../../engine/field/index.ts';
import type { MaterialParameterName, Sounding } from '../../engine/io/index.ts';
import type { MaterialSpec, RadioParameters, SceneMaterial } from '../../engine/materials/index.ts';
import type { RadioMap } from '../../engine/radiomap/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import type { PriorsFile, TranslatorBackend, TranslatorJson } from '../../engine/vision/index.ts';
import type { CompactTrace } from './compactTrace.ts';

/** One optimiser iteration, posted live (Progress.data of a calibrate request). */
export interface CalibrationIteration {
  iteration: number;
  loss: number;
  theta: number[];
}

/** Final estimates (physical units) with their Gauss–Newton std, and the run's history. */
export interface CalibrationOutcome {
  parameters: {
    owner: string;
    name: MaterialParameterName;
    initial: number;
    estimate: number;
    std: number;
    identifiable: boolean;
  }[];
  /** radio parameters of every material with the estimates applied (keyed by material id) */
  calibrated: Record<string, RadioParameters>;
  lossHistory: number[];
  iterations: number;
  stoppedBecause: string;
  lossDescription: string;
  warnings: string[];
  traceSeconds: number;
  /**
   * where the iterations ran and why ("WebGPU (SwiftShader)", "auto: …"), and how many paths the
   * WGSL kernel could not hold and left to the float64 host chain
   */
  backend: BackendUsed & { fallbackPaths: number };
  /**
   * Measured against predicted received power per sounding (dB, soundings order; NaN where the
   * link was not measured in that metric), with the twin's materials before calibration and
   * with the estimates after (including the power scale the loss fitted, when it fitted one).
   */
  comparison: SoundingComparison;
}

export interface SoundingComparison {
  metric: 'path_gain_db' | 'coherent_gain_db';
  measured: number[];
  before: number[];
  after: number[];
  /** power scale α the loss fitted (measured ≈ α·predicted), in dB, included in `after`; absent when not fitted */
  powerScaleDb?: number;
}

/** One suggested receiver position (measurement planning), in order of choice. */
export interface SuggestedRx {
  position: Vec3;
  /** information its sounding adds to those chosen before it (bits) */
  gainBits: number;
}

/** The studio's channel settings: the engine's ChannelSettings (the frequency is the twin's). */
export type StudioChannelSettings = Omit<ChannelSettings, 'frequencyHz'>;

/** Which backend a job ran on, and why. */
export interface BackendUsed {
  label: string;
  reason: string;
}

/** The twin's materials as the engine needs them for a field evaluation. */
export interface MaterialAssignment {
  frequencyHz: number;
  materials: Record<string, MaterialSpec>;
  /** material id per scene object (overrides of one object included) */
  objectMaterial: string[];
}

/** What every channel job takes: the scene, its materials, the channel settings and the backend. */
export interface ChannelRequest extends MaterialAssignment {
  sceneId: number;
  channel: StudioChannelSettings;
  backend: BackendChoice;
}

/** A device's beams as the studio holds them: array size ("8x8") and codebook ("dft", "sectors:16", "horns:8"). */
export interface DeviceBeamsText {
  size: string;
  codebook: string;
  /** the device's element (pattern, polarisation, orientation) */
  element: AntennaSpec;
}

/** Both ends' beams of a beam map or a beam link (docs/physics.md §15). */
export interface BeamsRequest {
  tx: DeviceBeamsText;
  rx: DeviceBeamsText;
}

/** One link's beam pairs: the gain matrix, the best pair and its rate, the best Tx beam's lobe. */
export interface BeamLinkResponse {
  txLabels: string[];
  rxLabels: string[];
  /** wideband gain of every pair, dB, row-major [t·Nr + r] (−Infinity where no path) */
  gainDb: Float32Array;
  best: { tx: number; rx: number; gainDb: number; snrDb: number; mcs: number | null; throughputMbps: number };
  /** the best Tx beam's gain over directions: θ rows (0…π) × φ columns (−π…π), dB over its peak */
  lobe: { rows: number; cols: number; gainDb: Float32Array; peakDbi: number };
}

/** What a radio map is of: the transmitters (several: best server), the plane and its grid. */
export interface RadioMapRequest extends ChannelRequest {
  /** beam maps: both ends' arrays and codebooks (one transmitter) */
  beams?: BeamsRequest;
  txs: Vec3[];
  z: number;
  cellSize: number;
  /** xmin, ymin, xmax, ymax (default: the scene's footprint) */
  bounds?: [number, number, number, number];
  /**
   * workers for a map on the CPU (a pool of Web Workers, blocks of rows; the same cells as one):
   * 1 or absent, the engine worker alone
   */
  workers?: number;
}

export interface RadioMapEstimate {
  seconds: number;
  /** cells of the coarse map that was timed */
  probeCells: number;
  /** the backend the full map would run on */
  backendLabel: string;
}

/** A file the person dropped or picked, as bytes; `path` keeps folders when the browser gives them. */
export interface InputFile {
  path: string;
  data: Uint8Array;
}

/** What the vision priors job found (the priors file the CLI would write, plus how it ran). */
export interface VisionPriorsOutcome {
  /** 'vision' when CLIP ran, 'name' when the model could not be loaded */
  source: 'vision' | 'name';
  model: string;
  /** where CLIP ran ('webgpu' or 'wasm'), when it ran */
  device?: string;
  /** one line: why the model could not be loaded (then the priors are name-based) */
  unavailable?: string;
  /** one line: why WebGPU was not used although the browser has it */
  webgpuFallback?: string;
  views: number;
  /** views that showed the scene and were used (the others are named in the file's warnings) */
  viewsUsed?: number;
  file: PriorsFile;
  elapsedMs: number;
}

/** A translator fitted in the vision worker on the loaded twin's priors and calibration. */
export interface TranslatorFit {
  translator: TranslatorJson;
  /** the tfjs backend that ran, and why when it is not WebGPU */
  backend: TranslatorBackend;
  backendNote?: string;
  /** objects whose calibrated values were learned, and those left out with why */
  used: string[];
  skipped: string[];
  elapsedMs: number;
}

/**
 * Every request the engine worker answers: its payload and its result. The bridge and the
 * worker are typed from this one map so a request and its handler cannot drift apart.
 */
export interface EngineRequests {
  /** Load a scene from files (entry = the scene file among them); the worker keeps it under sceneId. */
  loadScene: { request: { files: InputFile[]; entry: string }; response: { sceneId: number; scene: Scene } };
  /** Build a scene from meshes already in world coordinates (twin JSON re-import). */
  buildTwinScene: {
    request: {
      name: string;
      objects: { name: string; materialId: string; vertices: number[]; indices: number[] }[];
      materials: Record<string, SceneMaterial>;
      file: string;
    };
    response: { sceneId: number; scene: Scene };
  };
  /**
   * Paths and per-link metrics between every Tx and every Rx; a device's own antenna replaces
   * the channel settings' Tx or Rx antenna on its links.
   */
  trace: {
    request: ChannelRequest & {
      tx: { id: string; position: Vec3; antenna?: AntennaSpec }[];
      rx: { id: string; position: Vec3; antenna?: AntennaSpec }[];
    };
    response: {
      trace: CompactTrace;
      extrapolated: string[];
      elapsedMs: number;
      backend: BackendUsed;
      /** the path search over every link: all complete, and the largest estimated miss rate */
      search: { complete: boolean; missRate: number };
    };
  };
  /**
   * Radio map over a horizontal plane (all metrics at once) from one transmitter, or the
   * best-server map of several (engine computeBestServerMap, as `rftwin radiomap --best-server`).
   */
  radioMap: { request: RadioMapRequest; response: RadioMap };
  /** Every beam pair of one link (beams/beamChannel.ts), as `rftwin beams --matrix`. */
  beamLink: {
    request: ChannelRequest & { tx: Vec3; rx: Vec3; beams: BeamsRequest };
    response: BeamLinkResponse;
  };
  /**
   * How long that map would take: a coarse map of the same area (about 64 cells, one Tx) on the
   * backend the full map would use, its set-up and per-cell times scaled to the full grid.
   */
  radioMapEstimate: { request: RadioMapRequest; response: RadioMapEstimate };
  /** Soundings the twin cannot predict (outside the scene volume, inside an object): one line each. */
  checkSoundings: { request: { sceneId: number; soundings: Sounding[] }; response: string[] };
  /** Material calibration from soundings; progress carries a CalibrationIteration per iteration. */
  calibrate: {
    request: ChannelRequest & {
      soundings: Sounding[];
      parameterNames: MaterialParameterName[];
      loss: LossKind;
      optimizer: OptimizerKind;
      init: 'itu' | 'uniform' | 'random';
      maxIterations: number;
      /** per material: how sure its prior values are (vision priors' S std): the prior's width there */
      priorStds?: Record<string, Partial<Record<MaterialParameterName, number>>>;
    };
    response: CalibrationOutcome;
  };
  /**
   * Measurement planning: the `count` receiver positions (from a grid over the floor at height
   * `rxHeight`) whose soundings from the given transmitters say most about the materials.
   */
  planRx: {
    request: ChannelRequest & {
      tx: Vec3[];
      count: number;
      rxHeight: number;
      spacing: number;
      parameterNames: MaterialParameterName[];
    };
    response: {
      suggestions: SuggestedRx[];
      candidates: number;
      parameters: number;
      informationBits: number;
      randomInformationBits: number;
      elapsedMs: number;
    };
  };
  /**
   * Per face of a loaded scene, the side that looks out of the scene (exterior) and the side
   * inside its solid (inside): +1 along the face normal, −1 against, 0 none. X-ray sees through both.
   */
  faceSides: { request: { sceneId: number }; response: { exterior: Int8Array; inside: Int8Array } };
  /** Forget a scene the studio no longer shows. */
  dropScene: { request: { sceneId: number }; response: null };
  /**
   * A timeline of one link while actors move (engine dynamics, `rftwin timeline`): `actors` is an
   * actors file (JSON lines); per step the metrics and the actors' poses, and the steps as the
   * JSON lines `rftwin timeline` writes (the export).
   */
  timeline: {
    /** `times`: step at these times (a measured trace's) instead of every `dt` */
    request: ChannelRequest & { tx: Vec3; rx: Vec3; actors: string; dt: number; times?: number[] };
    response: {
      steps: TimelineSummary[];
      lines: string;
      warnings: string[];
      /** steps found incrementally (the rest re-traced in full) */
      incremental: number;
      elapsedMs: number;
    };
  };
  /**
   * Fit an actor's dimensions and material to a measured trace (engine dynamics/blockerFit.ts,
   * `rftwin timeline --fit`); progress per timeline run, cancellable.
   */
  fitBlocker: {
    request: ChannelRequest & {
      tx: Vec3;
      rx: Vec3;
      actors: string;
      actorId: string;
      trace: { t: number[]; gainDb: number[]; file?: string };
      /** candidate materials: skin, absorber or ITU names */
      candidates: string[];
      noiseDb: number;
    };
    response: BlockerFit;
  };
}

/** One timeline step as the studio plots it. */
export interface TimelineSummary {
  t: number;
  pathGainDb: number;
  coherentGainDb: number;
  shadowLossDb: number;
  rmsDelaySpreadNs: number;
  kFactorDb: number;
  dopplerSpreadHz: number;
  pathCount: number;
  los: boolean;
  /** each actor's base position and yaw (rad) at t */
  poses: { id: string; position: Vec3; yaw: number }[];
}

/**
 * What the vision worker answers: CLIP priors and the translator (tfjs), in a worker of their own
 * so that they run, and are cancelled, independently of tracing.
 */
export interface VisionRequests {
  /**
   * Vision priors: validate transforms.json and its images (InputError naming file and frame),
   * run CLIP (WebGPU or wasm) over the scene's surfaces, or name-based priors without the model.
   */
  visionPriors: {
    request: {
      /** the twin's scene (the vision worker keeps no scenes) */
      scene: Scene;
      files: InputFile[];
      transforms: string;
      model: string;
      frequencyHz: number;
      /** where CLIP runs: 'auto' = WebGPU on a hardware adapter, else wasm */
      device?: 'auto' | 'webgpu' | 'wasm';
    };
    response: VisionPriorsOutcome;
  };
  /**
   * Fit the translator on the loaded twin: the CLIP embeddings of its vision priors and the
   * calibrated values of its materials (identifiable ones only); tfjs on WebGPU when the worker
   * has an adapter, else on the CPU.
   */
  fitTranslator: {
    request: {
      priors: PriorsFile;
      calibration: CalibrationOutcome['parameters'];
      /** where the training data came from (the twin's name and files) */
      fittedFrom: string;
      /** where tfjs runs: 'auto' = WebGPU on a hardware adapter, else the CPU */
      device?: 'auto' | 'webgpu' | 'wasm';
    };
    response: TranslatorFit;
  };
  /** Vision priors with the translator's values for the materials it covers. */
  applyTranslator: {
    request: {
      priors: PriorsFile;
      translator: TranslatorJson;
      translatorName: string;
      frequencyHz: number;
      device?: 'auto' | 'webgpu' | 'wasm';
    };
    response: { file: PriorsFile; backend: TranslatorBackend; backendNote?: string };
  };
}

/** A worker's request map: each kind's payload and result. */
export type RequestMap<M> = { [K in keyof M]: { request: unknown; response: unknown } };

export type EngineRequestKind = keyof EngineRequests;
export type RequestOf<K extends EngineRequestKind> = EngineRequests[K]['request'];
export type ResponseOf<K extends EngineRequestKind> = EngineRequests[K]['response'];

/** Progress of a long request: fraction in [0, 1] (or undefined when unknown) and optional partial data. */
export interface Progress {
  fraction?: number;
  message: string;
  /** request-specific partial results (a calibration iteration, a finished radio-map tile) */
  data?: unknown;
  /**
   * The job acknowledges Pause: it is parked between two steps and posts nothing more until it
   * is resumed or cancelled (what it reported before this message is all it did).
   */
  paused?: true;
}

export type ToWorker =
  | { id: number; kind: string; request: unknown }
  | { id: number; cancel: true }
  /** calibration control without cancelling: pause at the next iteration, resume, stop and keep the best estimate */
  | { id: number; control: 'pause' | 'resume' | 'stop' };

export type FromWorker =
  | { id: number; type: 'progress'; progress: Progress }
  | { id: number; type: 'result'; result: unknown }
  | { id: number; type: 'error'; error: { name: string; message: string } };
