import { studio } from '../store.ts';

/** Results computed on a previous twin, device set or material set no longer apply. */
export function clearResults() {
  studio.set({ trace: null, hoveredPath: null, heatmap: null, heatmapHover: null, suggestedRx: [] });
}
