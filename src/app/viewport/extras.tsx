import type { Scene } from '../../engine/scene/types.ts';
import { useStudio } from '../store.ts';
import { HeatmapLayer } from './HeatmapLayer.tsx';
import { PathLines } from './PathLines.tsx';

/** Sounding positions (measured links) drawn as small markers so one sees what the calibration uses. */
function SoundingMarkers({ scene }: { scene: Scene }) {
  const soundings = useStudio((s) => s.soundings);
  if (!soundings) return null;
  const { min, max } = scene.bbox;
  const r = Math.max(0.03, Math.hypot(max[0] - min[0], max[1] - min[1]) * 0.004);
  const rx = new Map(soundings.items.map((s) => [s.rx.join(','), s.rx]));
  return (
    <group>
      {[...rx.values()].map((p) => (
        <mesh key={p.join(',')} position={p} raycast={() => null}>
          <octahedronGeometry args={[r]} />
          <meshBasicMaterial color="#ffd166" />
        </mesh>
      ))}
    </group>
  );
}

/** Everything drawn over the scene besides surfaces and devices: soundings, paths, heat maps. */
export function ViewportExtras({ scene }: { scene: Scene }) {
  return (
    <>
      <SoundingMarkers scene={scene} />
      <PathLines />
      <HeatmapLayer />
    </>
  );
}
