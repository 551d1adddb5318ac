import { useEffect, useRef } from 'react';
import type * as THREE from 'three';
import type { Vec3 } from '../../engine/core/index.ts';
import { HUMAN_PROXY, HUMAN_SEGMENTS } from '../../engine/dynamics/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { useStudio } from '../store.ts';
import { BeamLobe } from './BeamLobe.tsx';
import { HeatmapLayer } from './HeatmapLayer.tsx';
import { MapAreaTool } from './MapAreaTool.tsx';
import { PathLines, TimelinePaths } from './PathLines.tsx';

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

/**
 * A group whose children's world positions a test hook on `window` reads (e2e: where markers and
 * proxies are drawn); the hook is removed with the component.
 */
function useChildPositionsHook(name: '__rftwinSuggestedMarkers' | '__rftwinActorProxies') {
  const group = useRef<THREE.Group>(null);
  useEffect(() => {
    window[name] = () =>
      (group.current?.children ?? []).map((m) => {
        m.updateWorldMatrix(true, false);
        const e = m.matrixWorld.elements;
        return [e[12]!, e[13]!, e[14]!] as Vec3;
      });
    return () => {
      window[name] = undefined;
    };
  }, [name]);
  return group;
}

/** Receiver positions suggested by measurement planning: pink diamonds at the receiver height. */
function SuggestedRxMarkers({ scene }: { scene: Scene }) {
  const suggested = useStudio((s) => s.suggestedRx);
  const group = useChildPositionsHook('__rftwinSuggestedMarkers');
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

/**
 * The actors at the timeline step shown (Dynamics panel): the human proxy as its elliptic
 * cylinder (engine HUMAN_PROXY), a box as the studio's 1 × 0.6 × 1 m box, each at its pose; they
 * move as the timeline plays or is scrubbed.
 */
function ActorProxies() {
  const timeline = useStudio((s) => s.timeline);
  const index = useStudio((s) => s.timelineIndex);
  const actors = useStudio((s) => s.actors);
  const group = useChildPositionsHook('__rftwinActorProxies');
  const poses = timeline?.steps[index]?.poses ?? [];
  return (
    <group ref={group}>
      {poses.map((p) => {
        const human = actors.find((a) => a.id === p.id)?.kind !== 'box';
        const [l, w, h] = human ? [HUMAN_PROXY.depth, HUMAN_PROXY.width, HUMAN_PROXY.height] : [1, 0.6, 1];
        return (
          <group
            key={p.id}
            position={[p.position[0], p.position[1], p.position[2] + h / 2]}
            rotation={[0, 0, p.yaw]}
          >
            {human ? (
              // three's cylinder stands on its y axis: turned to z, scaled to depth (x) × width (y)
              <mesh rotation={[Math.PI / 2, 0, 0]} scale={[l, h, w]} raycast={() => null}>
                <cylinderGeometry args={[0.5, 0.5, 1, HUMAN_SEGMENTS]} />
                <meshStandardMaterial color="#c77dff" transparent opacity={0.85} />
              </mesh>
            ) : (
              <mesh raycast={() => null}>
                <boxGeometry args={[l, w, h]} />
                <meshStandardMaterial color="#c77dff" transparent opacity={0.85} />
              </mesh>
            )}
          </group>
        );
      })}
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
      <TimelinePaths />
      <HeatmapLayer />
      <BeamLobe scene={scene} />
      <MapAreaTool />
      <ActorProxies />
    </>
  );
}
