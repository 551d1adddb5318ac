import { OrbitControls } from '@react-three/drei';
import { Canvas, type ThreeEvent, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef } from 'react';
import * as THREE from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import type { Vec3 } from '../../engine/core/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { placeDevice, selectSurface } from '../actions/devices.ts';
import { materialColor } from '../colors.ts';
import { type Device, studio, useStudio } from '../store.ts';
import { ViewportExtras } from './extras.tsx';
import { PathTooltip } from './PathLines.tsx';

// Radio scenes (Sionna, Mitsuba) are z-up; make three.js agree before any camera exists.
THREE.Object3D.DEFAULT_UP.set(0, 0, 1);

const sceneSize = (scene: Scene) => {
  const { min, max } = scene.bbox;
  return Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]) || 1;
};
const sceneCenter = (scene: Scene): Vec3 => {
  const { min, max } = scene.bbox;
  return [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
};

/** One BufferGeometry per scene object, from the world-space triangle soup (flat normals). */
function objectGeometries(scene: Scene): THREE.BufferGeometry[] {
  return scene.objects.map((o) => {
    const g = new THREE.BufferGeometry();
    const start = 9 * o.triangleOffset;
    g.setAttribute(
      'position',
      new THREE.BufferAttribute(
        new Float32Array(scene.positions.subarray(start, start + 9 * o.triangleCount)),
        3,
      ),
    );
    g.computeVertexNormals();
    g.computeBoundingSphere();
    return g;
  });
}

/** A click that ended a drag (orbit) is not a pick. */
const isDrag = (e: ThreeEvent<MouseEvent>) => e.delta > 5;

/** Normal of the clicked triangle, facing the camera (surfaces are two-sided). */
function facingNormal(e: ThreeEvent<MouseEvent>): Vec3 {
  const n = e.face?.normal.clone() ?? new THREE.Vector3(0, 0, 1);
  if (n.dot(e.ray.direction) > 0) n.negate();
  return [n.x, n.y, n.z];
}

function SceneMeshes({ scene }: { scene: Scene }) {
  const geometries = useMemo(() => objectGeometries(scene), [scene]);
  const materials = useStudio((s) => s.materials);
  const objectMaterial = useStudio((s) => s.objectMaterial);
  const selection = useStudio((s) => s.selection);
  const xray = useStudio((s) => s.xray);
  useEffect(
    () => () => {
      for (const g of geometries) g.dispose();
    },
    [geometries],
  );

  const onClick = (objectIndex: number) => (e: ThreeEvent<MouseEvent>) => {
    if (isDrag(e)) return;
    e.stopPropagation();
    const p: Vec3 = [e.point.x, e.point.y, e.point.z];
    const placing = studio.get().placing;
    if (placing) placeDevice(placing, p, facingNormal(e));
    else {
      const t = scene.objects[objectIndex]!.triangleOffset + (e.faceIndex ?? 0);
      selectSurface(objectIndex, scene.triangleFace[t] ?? 0, p);
    }
  };

  return (
    <group>
      {scene.objects.map((o, i) => {
        const m = materials[objectMaterial[i] ?? o.materialId];
        const selected = selection?.objectIndex === i;
        const confidence = m?.confidence ?? 1;
        // Low-confidence priors are drawn washed out, so what is a guess looks like one.
        const color = new THREE.Color(materialColor(m)).lerp(
          new THREE.Color('#808080'),
          0.6 * (1 - confidence),
        );
        return (
          // biome-ignore lint/a11y/noStaticElementInteractions: three.js mesh, not a DOM element (keyboard access via the scene tree)
          // biome-ignore lint/suspicious/noArrayIndexKey: objects are fixed for a loaded scene; names may repeat
          <mesh key={o.name + i} geometry={geometries[i]} onClick={onClick(i)} userData={{ objectIndex: i }}>
            <meshStandardMaterial
              color={color}
              emissive={selected ? '#2f6fd6' : '#000000'}
              emissiveIntensity={selected ? 0.55 : 0}
              side={THREE.DoubleSide}
              roughness={0.85}
              metalness={m?.spec.kind === 'itu' && m.spec.ituName === 'metal' ? 0.6 : 0}
              transparent={xray}
              opacity={xray ? 0.35 : 1}
              depthWrite={!xray}
              polygonOffset
              polygonOffsetFactor={1}
            />
          </mesh>
        );
      })}
      {geometries.map((g, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: one outline per fixed scene object
        <lineSegments key={`edges${i}`} raycast={() => null}>
          <edgesGeometry args={[g, 30]} />
          <lineBasicMaterial color="#1d232b" transparent opacity={0.45} />
        </lineSegments>
      ))}
    </group>
  );
}

/** Invisible ground plane at the scene's floor level so devices can be placed where there is no mesh. */
function PlacementGround({ scene }: { scene: Scene }) {
  const placing = useStudio((s) => s.placing);
  const size = sceneSize(scene) * 4;
  const c = sceneCenter(scene);
  if (!placing) return null;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: three.js mesh, not a DOM element
    <mesh
      position={[c[0], c[1], scene.bbox.min[2]]}
      onClick={(e) => {
        if (isDrag(e)) return;
        e.stopPropagation();
        placeDevice(placing, [e.point.x, e.point.y, e.point.z], [0, 0, 1]);
      }}
    >
      <planeGeometry args={[size, size]} />
      <meshBasicMaterial transparent opacity={0} depthWrite={false} side={THREE.DoubleSide} />
    </mesh>
  );
}

function DeviceMarker({ device, radius }: { device: Device; radius: number }) {
  const selected = useStudio((s) => s.selectedDeviceId === device.id);
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const color = device.kind === 'tx' ? '#e4572e' : '#2e86de';
  return (
    <group position={device.position}>
      <mesh
        onPointerDown={(e) => {
          e.stopPropagation();
          studio.set({ selectedDeviceId: device.id, dragging: { id: device.id } });
          if (controls) controls.enabled = false;
        }}
      >
        {device.kind === 'tx' ? (
          <coneGeometry args={[radius, radius * 2.2, 16]} />
        ) : (
          <sphereGeometry args={[radius, 20, 14]} />
        )}
        <meshStandardMaterial
          color={color}
          emissive={selected ? '#ffffff' : color}
          emissiveIntensity={selected ? 0.5 : 0.25}
        />
      </mesh>
      {/* stem to the floor makes the height readable in perspective */}
      <mesh position={[0, 0, -device.position[2] / 2]} rotation={[Math.PI / 2, 0, 0]} raycast={() => null}>
        <cylinderGeometry args={[radius * 0.08, radius * 0.08, Math.max(device.position[2], 0.001), 6]} />
        <meshBasicMaterial color={color} transparent opacity={0.5} />
      </mesh>
    </group>
  );
}

/** Dragging a device moves it in the horizontal plane at its height (height is edited in the list). */
function DeviceDragger() {
  const { camera, gl, controls } = useThree();
  useEffect(() => {
    const el = gl.domElement;
    const ray = new THREE.Raycaster();
    const ndc = new THREE.Vector2();
    const hit = new THREE.Vector3();
    const move = (e: PointerEvent) => {
      const drag = studio.get().dragging;
      if (!drag) return;
      const d = studio.get().devices.find((x) => x.id === drag.id);
      if (!d) return;
      const r = el.getBoundingClientRect();
      ndc.set(((e.clientX - r.left) / r.width) * 2 - 1, -((e.clientY - r.top) / r.height) * 2 + 1);
      ray.setFromCamera(ndc, camera);
      const plane = new THREE.Plane(new THREE.Vector3(0, 0, 1), -d.position[2]);
      if (!ray.ray.intersectPlane(plane, hit)) return;
      studio.set((s) => ({
        devices: s.devices.map((x) =>
          x.id === d.id ? { ...x, position: [hit.x, hit.y, d.position[2]] as Vec3 } : x,
        ),
      }));
    };
    const up = () => {
      if (!studio.get().dragging) return;
      studio.set({ dragging: null });
      if (controls) (controls as unknown as OrbitControlsImpl).enabled = true;
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    return () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
  }, [camera, gl, controls]);
  return null;
}

function Devices({ scene }: { scene: Scene }) {
  const devices = useStudio((s) => s.devices);
  const radius = Math.max(0.06, sceneSize(scene) * 0.014);
  return (
    <group>
      {devices.map((d) => (
        <DeviceMarker key={d.id} device={d} radius={radius} />
      ))}
    </group>
  );
}

function ProjectionHook() {
  const { camera, gl } = useThree();
  useEffect(() => {
    window.__rftwinView = {
      project: (p) => {
        const v = new THREE.Vector3(...p).project(camera);
        const r = gl.domElement.getBoundingClientRect();
        return [r.left + ((v.x + 1) / 2) * r.width, r.top + ((1 - v.y) / 2) * r.height];
      },
    };
    return () => {
      window.__rftwinView = undefined;
    };
  }, [camera, gl]);
  return null;
}

/**
 * Store fields the 3D view does not draw. A change of only these does not redraw the canvas:
 * live progress of a long job updates the status many times a second, and each software-WebGL
 * frame delayed the page's response to input by hundreds of ms (e2e/10-responsive).
 */
const NOT_DRAWN = new Set<string>([
  'status',
  'errorLog',
  'calibrationRecord',
  'calibrationRun',
  'calibrationPausedAt',
  'tracing',
  'traceSettings',
]);

/** Re-render on store changes (the canvas renders on demand to spare the CPU). */
function InvalidateOnChange() {
  const invalidate = useThree((s) => s.invalidate);
  useEffect(
    () =>
      useStudio.subscribe((s, prev) => {
        for (const k of Object.keys(s) as (keyof typeof s)[])
          if (s[k] !== prev[k] && !NOT_DRAWN.has(k)) {
            invalidate();
            return;
          }
      }),
    [invalidate],
  );
  return null;
}

function SceneView({ scene }: { scene: Scene }) {
  const size = sceneSize(scene);
  const c = sceneCenter(scene);
  const grid = useMemo(() => {
    const n = Math.max(2, Math.ceil(size / 1));
    const g = new THREE.GridHelper(n, n, '#5a6470', '#39414b');
    g.rotation.x = Math.PI / 2;
    g.position.set(c[0], c[1], scene.bbox.min[2] - 0.01 * size);
    return g;
  }, [scene, size, c[0], c[1]]);
  return (
    <>
      <ambientLight intensity={0.55} />
      <hemisphereLight args={['#ffffff', '#444444', 0.6]} />
      <directionalLight position={[c[0] + size, c[1] - size * 0.6, c[2] + size * 1.5]} intensity={1.4} />
      <primitive object={grid} />
      <SceneMeshes scene={scene} />
      <PlacementGround scene={scene} />
      <Devices scene={scene} />
      <ViewportExtras scene={scene} />
      <DeviceDragger />
      <InvalidateOnChange />
      <ProjectionHook />
      <OrbitControls makeDefault target={c} enableDamping={false} />
    </>
  );
}

export function Viewport() {
  const twin = useStudio((s) => s.twin);
  const placing = useStudio((s) => s.placing);
  const ref = useRef<HTMLDivElement>(null);
  const camera = useMemo(() => {
    if (!twin) return undefined;
    const s = sceneSize(twin.scene);
    const c = sceneCenter(twin.scene);
    return {
      position: [c[0] + 0.55 * s, c[1] - 0.95 * s, c[2] + 1.05 * s] as Vec3,
      fov: 40,
      near: s / 1000,
      far: s * 50,
    };
  }, [twin]);
  return (
    <div
      ref={ref}
      className={`viewport${placing ? ' placing' : ''}`}
      data-testid="viewport"
      data-scene={twin?.scene.name ?? ''}
    >
      {twin && camera ? (
        <Canvas
          key={twin.sceneId}
          frameloop="demand"
          camera={camera}
          gl={{ preserveDrawingBuffer: true, antialias: true }}
          onPointerMissed={() => {
            if (!studio.get().placing) studio.set({ selection: null, selectedDeviceId: null });
          }}
        >
          <color attach="background" args={['#20262e']} />
          <SceneView scene={twin.scene} />
        </Canvas>
      ) : (
        <div className="viewport-empty">Loading twin…</div>
      )}
      <PathTooltip />
    </div>
  );
}
