import { useEffect, useMemo } from 'react';
import * as THREE from 'three';
import type { Vec3 } from '../../engine/core/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { useStudio } from '../store.ts';

/** dB below the peak that the lobe's surface reaches the device (its radius there is 0). */
const FLOOR_DB = 30;

/**
 * The chosen Tx beam drawn as a 3D lobe at the transmitter: radius ∝ gain in dB above −30 dB
 * relative to the peak, over the directions the worker sampled (BeamLinkResponse.lobe).
 */
export function BeamLobe({ scene }: { scene: Scene }) {
  const link = useStudio((s) => s.beamLink);
  const tx = useStudio((s) => s.devices.find((d) => d.id === s.beamLink?.txId));
  const { min, max } = scene.bbox;
  const size = Math.max(0.5, Math.hypot(max[0] - min[0], max[1] - min[1]) * 0.15);
  const geometry = useMemo(() => {
    if (!link || !tx) return null;
    const { rows, cols, gainDb } = link.result.lobe;
    const pos = new Float32Array(rows * cols * 3);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        const th = (i * Math.PI) / (rows - 1);
        const ph = -Math.PI + (j * 2 * Math.PI) / cols;
        const r = size * Math.max(0, (gainDb[i * cols + j]! + FLOOR_DB) / FLOOR_DB);
        const k = 3 * (i * cols + j);
        pos[k] = r * Math.sin(th) * Math.cos(ph);
        pos[k + 1] = r * Math.sin(th) * Math.sin(ph);
        pos[k + 2] = r * Math.cos(th);
      }
    const index: number[] = [];
    for (let i = 0; i + 1 < rows; i++)
      for (let j = 0; j < cols; j++) {
        const a = i * cols + j;
        const b = i * cols + ((j + 1) % cols);
        index.push(a, a + cols, b, b, a + cols, b + cols);
      }
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(pos, 3));
    g.setIndex(index);
    g.computeVertexNormals();
    return g;
  }, [link, tx, size]);
  useEffect(() => {
    if (!geometry || !tx || !link) return;
    // the direction of the lobe's peak, for tests and automation
    const { rows, cols, gainDb } = link.result.lobe;
    const k = gainDb.indexOf(Math.max(...gainDb));
    const th = (Math.floor(k / cols) * Math.PI) / (rows - 1);
    const ph = -Math.PI + ((k % cols) * 2 * Math.PI) / cols;
    window.__rftwinBeamLobe = () => ({
      origin: tx.position,
      peakDirection: [Math.sin(th) * Math.cos(ph), Math.sin(th) * Math.sin(ph), Math.cos(th)] as Vec3,
      vertices: geometry.getAttribute('position').count,
    });
    return () => {
      window.__rftwinBeamLobe = undefined;
      geometry.dispose();
    };
  }, [geometry, tx, link]);
  if (!geometry || !tx) return null;
  return (
    <mesh geometry={geometry} position={tx.position} raycast={() => null} renderOrder={3}>
      <meshBasicMaterial
        color="#ff7f11"
        transparent
        opacity={0.45}
        depthWrite={false}
        side={THREE.DoubleSide}
      />
    </mesh>
  );
}
