import { useEffect, useMemo } from 'react';
import * as THREE from 'three';
import { cellState, metricsOf, metricValues, SINGLE_PATH_RGB } from '../../engine/radiomap/index.ts';
import { viridis } from '../colors.ts';
import { displayRange } from '../panels/HeatmapPanel.tsx';
import { studio, useStudio } from '../store.ts';

/**
 * The radio map as a textured plane at receiver height, coloured over the panel's colour range;
 * cells without a path are transparent, K-factor cells of a single path (K = ∞) magenta as in the
 * legend. Hovering reports the cell value.
 */
export function HeatmapLayer() {
  const map = useStudio((s) => s.heatmap);
  const chosen = useStudio((s) => s.heatmapMetric);
  const range = useStudio((s) => s.heatmapRange);
  const data = useMemo(() => {
    if (!map) return null;
    const metric = metricsOf(map).includes(chosen) ? chosen : 'path-gain';
    const { values } = metricValues(map, metric);
    const [lo, hi] = displayRange(map, metric, range);
    const { nx, ny } = map.grid;
    const rgba = new Uint8Array(4 * nx * ny);
    for (let i = 0; i < nx * ny; i++) {
      const v = values[i]!;
      const state = cellState(v);
      const [r, g, b] = state === 'single-path' ? SINGLE_PATH_RGB : viridis((v - lo) / (hi - lo));
      rgba.set([r, g, b, state === 'no-path' ? 0 : 210], 4 * i);
    }
    const tex = new THREE.DataTexture(rgba, nx, ny, THREE.RGBAFormat);
    tex.magFilter = THREE.NearestFilter;
    tex.needsUpdate = true;
    return { tex, values };
  }, [map, chosen, range]);
  useEffect(() => () => data?.tex.dispose(), [data]);
  if (!map || !data) return null;
  const g = map.grid;
  const w = g.xmax - g.xmin;
  const h = g.ymax - g.ymin;
  return (
    <mesh
      position={[g.xmin + w / 2, g.ymin + h / 2, g.z]}
      onPointerMove={(e) => {
        const ix = Math.floor((e.point.x - g.xmin) / g.cellSize);
        const iy = Math.floor((e.point.y - g.ymin) / g.cellSize);
        if (ix < 0 || iy < 0 || ix >= g.nx || iy >= g.ny) return;
        studio.set({ heatmapHover: { x: e.point.x, y: e.point.y, value: data.values[iy * g.nx + ix]! } });
      }}
      onPointerOut={() => studio.set({ heatmapHover: null })}
    >
      <planeGeometry args={[w, h]} />
      <meshBasicMaterial map={data.tex} transparent side={THREE.DoubleSide} depthWrite={false} />
    </mesh>
  );
}
