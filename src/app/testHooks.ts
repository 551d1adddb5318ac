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
    /** screen position (client px) of a world point in the viewport */
    __rftwinView?: { project: (p: Vec3) => [number, number] };
    /** world positions of the suggested-Rx markers mounted in the 3D scene */
    __rftwinSuggestedMarkers?: () => Vec3[];
  }
}
