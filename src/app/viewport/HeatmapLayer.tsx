import { useEffect, useMemo } from 'react';
import * as THREE from 'three';
import { metricValues } from '../../engine/radiomap/index.ts';
import { viridis } from '../colors.ts';
import { metricRange } from '../panels/HeatmapPanel.tsx';
import { studio, useStudio } from '../store.ts';

/** The radio map as a textured plane at receiver height; hovering reports the cell value. */
export function HeatmapLayer() {
  const map = useStudio((s) => s.heatmap);
  const metric = useStudio((s) => s.heatmapMetric);
  const data = useMemo(() => {
    if (!map) return null;
    const { values } = metricValues(map, metric);
    const [lo, hi] = metricRange(values);
    const { nx, ny } = map.grid;
    const rgba = new Uint8Array(4 * nx * ny);
    for (let i = 0; i < nx * ny; i++) {
      const v = values[i]!;
      const [r, g, b] = viridis((v - lo) / (hi - lo));
      rgba.set([r, g, b, Number.isNaN(v) ? 0 : 210], 4 * i);
    }
    const tex = new THREE.DataTexture(rgba, nx, ny, THREE.RGBAFormat);
    tex.magFilter = THREE.NearestFilter;
    tex.needsUpdate = true;
    return { tex, values };
  }, [map, metric]);
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
