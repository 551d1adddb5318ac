import type { SceneMaterial } from '../../engine/materials/radioMaterial.ts';
import type { Scene } from '../../engine/scene/types.ts';

/** A file the person dropped or picked, as bytes; `path` keeps folders when the browser gives them. */
export interface InputFile {
  path: string;
  data: Uint8Array;
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
  /** Forget a scene the studio no longer shows. */
  dropScene: { request: { sceneId: number }; response: null };
}

export type EngineRequestKind = keyof EngineRequests;
export type RequestOf<K extends EngineRequestKind> = EngineRequests[K]['request'];
export type ResponseOf<K extends EngineRequestKind> = EngineRequests[K]['response'];

/** Progress of a long request: fraction in [0, 1] (or undefined when unknown) and optional partial data. */
export interface Progress {
  fraction?: number;
  message: string;
  /** request-specific partial results (a calibration iteration, a finished radio-map tile) */
  data?: unknown;
}

export type ToWorker =
  | { id: number; kind: EngineRequestKind; request: unknown }
  | { id: number; cancel: true }
  /** calibration control without cancelling: pause at the next iteration, resume */
  | { id: number; control: 'pause' | 'resume' };

export type FromWorker =
  | { id: number; type: 'progress'; progress: Progress }
  | { id: number; type: 'result'; result: unknown }
  | { id: number; type: 'error'; error: { name: string; message: string } };
