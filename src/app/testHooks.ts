import type { Vec3 } from '../engine/core/index.ts';
import type { InputLatency, LongTask } from './latencyProbe.ts';

/**
 * What the studio exposes on `window` for its e2e tests (and automation): declared once here so
 * the app and the Playwright specs agree on the shapes.
 */
declare global {
  interface Window {
    /** input latencies recorded by latencyProbe.ts while work runs */
    __rftwinInputLatencies?: InputLatency[];
    /** main-thread tasks longer than 50 ms, recorded by latencyProbe.ts from start-up */
    __rftwinLongTasks?: LongTask[];
    /** the viewport: screen position (client px) of a world point, camera moves, last frame's draw calls */
    __rftwinView?: {
      project: (p: Vec3) => [number, number];
      /** put the perspective camera at `position` looking at `target` (e.g. inside a room) */
      lookAt: (position: Vec3, target: Vec3) => void;
      /** frame the visible objects */
      fit: () => void;
      /** draw calls and triangles of the last rendered frame */
      renderInfo: () => { calls: number; triangles: number };
      /** turn the camera about the vertical through the orbit target and request a frame */
      orbit: (radians: number) => void;
    };
    /** the beam lobe drawn at a transmitter (viewport/BeamLobe.tsx): where, its peak direction, its vertices */
    __rftwinBeamLobe?: () => { origin: Vec3; peakDirection: Vec3; vertices: number };
    /** world positions of the suggested-Rx markers mounted in the 3D scene */
    __rftwinSuggestedMarkers?: () => Vec3[];
    /** world centres of the actor proxies drawn in the 3D view (Dynamics timeline step shown) */
    __rftwinActorProxies?: () => Vec3[];
    /** the timeline step whose paths the 3D view draws, and how many (null: none drawn) */
    __rftwinTimelinePaths?: () => { step: number; paths: number } | null;
  }
}
