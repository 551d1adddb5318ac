import { useEffect, useRef } from 'react';
import type * as THREE from 'three';
import type { Vec3 } from '../../engine/core/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { useStudio } from '../store.ts';
import { BeamLobe } from './BeamLobe.tsx';
import { HeatmapLayer } from './HeatmapLayer.tsx';
import { MapAreaTool } from './MapAreaTool.tsx';
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

/** Receiver positions suggested by measurement planning: pink diamonds at the receiver height. */
function SuggestedRxMarkers({ scene }: { scene: Scene }) {
  const suggested = useStudio((s) => s.suggestedRx);
  const group = useRef<THREE.Group>(null);
  useEffect(() => {
    window.__rftwinSuggestedMarkers = () =>
      (group.current?.children ?? []).map((m) => {
        m.updateWorldMatrix(true, false);
        const e = m.matrixWorld.elements;
        return [e[12]!, e[13]!, e[14]!] as Vec3;
      });
    return () => {
      window.__rftwinSuggestedMarkers = undefined;
    };
  }, []);
  const { min, max } = scene.bbox;
  const r = Math.max(0.12, Math.hypot(max[0] - min[0], max[1] - min[1]) * 0.012);
  return (
    <group ref={group}>
      {suggested.map((q) => (
        <mesh key={q.position.join(',')} position={q.position} raycast={() => null}>
          <octahedronGeometry args={[r]} />
          <meshBasicMaterial color="#ff4fd8" />
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
      <SuggestedRxMarkers scene={scene} />
      <PathLines />
      <HeatmapLayer />
      <BeamLobe scene={scene} />
      <MapAreaTool />
    </>
  );
}
