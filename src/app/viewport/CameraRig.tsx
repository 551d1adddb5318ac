import { OrbitControls } from '@react-three/drei';
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import * as THREE from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import type { Vec3 } from '../../engine/core/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { cameraMoves } from '../actions/view.ts';
import { studio, useStudio } from '../store.ts';

/** Bounds of the visible objects (all objects when every one is hidden). */
function visibleBounds(scene: Scene, hidden: ReadonlySet<number>): THREE.Box3 {
  const box = new THREE.Box3();
  const p = scene.positions;
  const v = new THREE.Vector3();
  scene.objects.forEach((o, i) => {
    if (hidden.has(i)) return;
    for (let j = 9 * o.triangleOffset; j < 9 * (o.triangleOffset + o.triangleCount); j += 3)
      box.expandByPoint(v.set(p[j]!, p[j + 1]!, p[j + 2]!));
  });
  if (box.isEmpty()) box.set(new THREE.Vector3(...scene.bbox.min), new THREE.Vector3(...scene.bbox.max));
  return box;
}

/** Direction from the target to the camera of the first view: from the south-east, above. */
const DEFAULT_VIEW = new THREE.Vector3(0.55, -0.95, 1.05).normalize();

/**
 * The two views (a perspective orbit, the orthographic top view), the orbit controls, a light
 * that follows the camera (lighting does not depend on where one looks from, or on X-ray), and
 * the camera moves: frame the visible objects, look from a point (tests).
 */
export function CameraRig({ scene }: { scene: Scene }) {
  const viewMode = useStudio((s) => s.viewMode);
  const set = useThree((s) => s.set);
  const size = useThree((s) => s.size);
  const invalidate = useThree((s) => s.invalidate);
  const controls = useRef<OrbitControlsImpl>(null);
  const light = useRef<THREE.DirectionalLight>(null);
  const extent = useMemo(() => {
    const { min, max } = scene.bbox;
    return Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]) || 1;
  }, [scene]);
  const perspective = useMemo(() => new THREE.PerspectiveCamera(40, 1, extent / 1000, extent * 50), [extent]);
  const top = useMemo(() => {
    const c = new THREE.OrthographicCamera(-1, 1, 1, -1, extent / 1000, extent * 50);
    c.up.set(0, 1, 0); // north up on screen (the view direction is −z, z up would be degenerate)
    return c;
  }, [extent]);
  const camera = viewMode === 'top' ? top : perspective;

  useLayoutEffect(() => {
    perspective.aspect = size.width / Math.max(1, size.height);
    perspective.updateProjectionMatrix();
    Object.assign(top, {
      left: -size.width / 2,
      right: size.width / 2,
      top: size.height / 2,
      bottom: -size.height / 2,
    });
    top.updateProjectionMatrix();
    invalidate();
  }, [perspective, top, size, invalidate]);

  useLayoutEffect(() => {
    set({ camera });
  }, [camera, set]);

  /** Frame the visible objects in the current view. */
  const frame = useMemo(
    () => () => {
      const box = visibleBounds(scene, new Set(studio.get().hiddenObjects));
      const centre = box.getCenter(new THREE.Vector3());
      const sphere = box.getBoundingSphere(new THREE.Sphere());
      const r = Math.max(sphere.radius, 1e-3);
      const c = controls.current;
      if (studio.get().viewMode === 'top') {
        const dim = box.getSize(new THREE.Vector3());
        top.position.set(centre.x, centre.y, box.max.z + r * 2);
        top.zoom = 0.9 * Math.min(size.width / Math.max(dim.x, 1e-3), size.height / Math.max(dim.y, 1e-3));
        top.near = r / 100;
        top.far = r * 10 + (box.max.z - box.min.z);
        top.lookAt(centre);
        top.updateProjectionMatrix();
      } else {
        const dir = c ? perspective.position.clone().sub(c.target) : DEFAULT_VIEW.clone();
        if (dir.lengthSq() < 1e-12) dir.copy(DEFAULT_VIEW);
        dir.normalize();
        const vfov = THREE.MathUtils.degToRad(perspective.fov) / 2;
        const hfov = Math.atan(Math.tan(vfov) * perspective.aspect);
        const dist = (1.05 * r) / Math.sin(Math.min(vfov, hfov));
        perspective.position.copy(centre).addScaledVector(dir, dist);
        perspective.near = dist / 1000;
        perspective.far = dist * 50;
        perspective.lookAt(centre);
        perspective.updateProjectionMatrix();
      }
      if (c) {
        c.target.copy(centre);
        c.update();
      }
      invalidate();
    },
    [scene, size, perspective, top, invalidate],
  );

  // the first view of a scene: fitted from the default direction
  const framed = useRef<Scene | null>(null);
  useEffect(() => {
    if (framed.current === scene) return;
    framed.current = scene;
    perspective.position.set(0, 0, 0);
    controls.current?.target.set(0, 0, 0);
    const { min, max } = scene.bbox;
    const centre = new THREE.Vector3((min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2);
    perspective.position.copy(centre).addScaledVector(DEFAULT_VIEW, extent * 1.35);
    perspective.lookAt(centre);
    controls.current?.target.copy(centre);
    frame();
  }, [scene, perspective, extent, frame]);

  // switching views frames the scene in the new one
  const shownMode = useRef(viewMode);
  useEffect(() => {
    if (shownMode.current === viewMode) return;
    shownMode.current = viewMode;
    frame();
  }, [viewMode, frame]);

  useEffect(() => {
    cameraMoves.fit = frame;
    cameraMoves.lookAt = (position: Vec3, target: Vec3) => {
      studio.set({ viewMode: 'perspective' });
      perspective.position.set(...position);
      perspective.near = 0.01;
      perspective.lookAt(new THREE.Vector3(...target));
      perspective.updateProjectionMatrix();
      controls.current?.target.set(...target);
      controls.current?.update();
      invalidate();
    };
    return () => {
      cameraMoves.fit = null;
      cameraMoves.lookAt = null;
    };
  }, [frame, perspective, invalidate]);

  // a headlight: the key light sits at the camera, so every view is lit alike
  useFrame(({ camera: cam }) => {
    light.current?.position.copy(cam.position);
    light.current?.target.position.copy(controls.current?.target ?? new THREE.Vector3());
    light.current?.target.updateMatrixWorld();
  });

  return (
    <>
      <ambientLight intensity={0.7} />
      <hemisphereLight args={['#ffffff', '#555555', 0.6]} />
      <directionalLight ref={light} intensity={1.1} />
      <OrbitControls
        ref={controls}
        makeDefault
        camera={camera}
        enableDamping={false}
        regress
        enableRotate={viewMode !== 'top'}
        screenSpacePanning
      />
    </>
  );
}
