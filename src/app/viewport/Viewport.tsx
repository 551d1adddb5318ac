import { AdaptiveDpr } from '@react-three/drei';
import { Canvas, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef } from 'react';
import * as THREE from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import type { Vec3 } from '../../engine/core/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { placeDevice } from '../actions/devices.ts';
import { cameraMoves } from '../actions/view.ts';
import { ViewBar } from '../panels/ViewBar.tsx';
import { type Device, studio, useStudio } from '../store.ts';
import { CameraRig } from './CameraRig.tsx';
import { ViewportExtras } from './extras.tsx';
import { PathTooltip } from './PathLines.tsx';
import { isDrag, SceneMeshes } from './SceneMeshes.tsx';

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
        placeDevice(placing, { point: [e.point.x, e.point.y, e.point.z], facingNormal: [0, 0, 1] });
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

/** The view's test and automation hook (src/app/testHooks.ts): projection, camera moves, draw counts. */
function ProjectionHook() {
  const { camera, gl, invalidate, controls, performance } = useThree();
  useEffect(() => {
    window.__rftwinView = {
      project: (p) => {
        camera.updateMatrixWorld();
        const v = new THREE.Vector3(...p).project(camera);
        const r = gl.domElement.getBoundingClientRect();
        return [r.left + ((v.x + 1) / 2) * r.width, r.top + ((1 - v.y) / 2) * r.height];
      },
      lookAt: (position, target) => cameraMoves.lookAt?.(position, target),
      fit: () => cameraMoves.fit?.(),
      renderInfo: () => ({ calls: gl.info.render.calls, triangles: gl.info.render.triangles }),
      orbit: (radians) => {
        // turn the camera about the vertical through the orbit target, as a mouse drag does
        const target = (controls as unknown as OrbitControlsImpl | null)?.target ?? new THREE.Vector3();
        camera.position
          .sub(target)
          .applyAxisAngle(new THREE.Vector3(0, 0, 1), radians)
          .add(target);
        camera.lookAt(target);
        performance.regress();
        invalidate();
      },
    };
    return () => {
      window.__rftwinView = undefined;
    };
  }, [camera, gl, invalidate, controls, performance]);
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
  'undoLabel',
  'redoLabel',
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
  const viewMode = useStudio((s) => s.viewMode);
  const moving = useThree((s) => s.performance.current < 1);
  const grid = useMemo(() => {
    // 1 m cells in a room; about 40 lines a side in a city (lines are costly on a software GPU)
    const step = 10 ** Math.max(0, Math.ceil(Math.log10(size / 40)));
    const n = Math.max(2, Math.ceil(size / step));
    const g = new THREE.GridHelper(n * step, n, '#5a6470', '#39414b');
    g.rotation.x = Math.PI / 2;
    g.position.set(c[0], c[1], scene.bbox.min[2] - 0.01 * size);
    return g;
  }, [scene, size, c[0], c[1]]);
  return (
    <>
      <CameraRig scene={scene} />
      {viewMode === 'top' || moving ? null : <primitive object={grid} />}
      <AdaptiveDpr />
      <SceneMeshes scene={scene} />
      <PlacementGround scene={scene} />
      <Devices scene={scene} />
      <ViewportExtras scene={scene} />
      <DeviceDragger />
      <InvalidateOnChange />
      <ProjectionHook />
    </>
  );
}

export function Viewport() {
  const twin = useStudio((s) => s.twin);
  const placing = useStudio((s) => s.placing);
  const hovered = useStudio((s) => s.hoveredPath);
  // X-ray state as drawn: 'pending' until the engine worker said which face sides to see through
  const xray = useStudio((s) =>
    !s.xray ? 'off' : s.xrayFaces && s.xrayFaces.sceneId === s.twin?.sceneId ? 'on' : 'pending',
  );
  const ref = useRef<HTMLDivElement>(null);
  return (
    <div
      ref={ref}
      className={`viewport${placing ? ' placing' : ''}`}
      data-testid="viewport"
      data-scene={twin?.scene.name ?? ''}
      data-highlighted-path={hovered ? `${hovered.link}:${hovered.path}` : ''}
      data-xray={xray}
    >
      {twin ? (
        <Canvas
          key={twin.sceneId}
          frameloop="demand"
          // while the camera moves, frames render at half resolution and without edges
          // (performance.regress from the orbit controls); full quality 250 ms after it stops
          performance={{ min: 0.5, debounce: 250 }}
          gl={{ preserveDrawingBuffer: true, antialias: !location.search.includes('aa=0') }}
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
      {twin ? <ViewBar /> : null}
      <PathTooltip />
    </div>
  );
}
