import { type ThreeEvent, useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import * as THREE from 'three';
import type { Vec3 } from '../../engine/core/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { placeDevice, selectSurface } from '../actions/devices.ts';
import { materialColor } from '../colors.ts';
import { type Pick, pickScene, type SectionCut } from '../geometry/picking.ts';
import { sceneIndex } from '../geometry/sceneIndex.ts';
import { type StudioMaterial, studio, useStudio } from '../store.ts';
import { faceEdges, materialBatches, objectGeometry, xrayBatches } from './sceneBuffers.ts';

/** Opacity of what X-ray sees through: faint enough that the map and the inside stay readable. */
const XRAY_OPACITY = 0.1;

/** A click that ended a drag (orbit) is not a pick. */
export const isDrag = (e: ThreeEvent<MouseEvent>) => e.delta > 5;

/** Colour of a material as drawn: low-confidence priors washed out, so that a guess looks like one. */
function surfaceColor(m: StudioMaterial | undefined): THREE.Color {
  const confidence = m?.confidence ?? 1;
  return new THREE.Color(materialColor(m)).lerp(new THREE.Color('#808080'), 0.6 * (1 - confidence));
}

/** opaque both sides; opaque front only; see-through back only; see-through both sides */
type Look = 'opaque' | 'front' | 'back' | 'faint';

/**
 * Surfaces are matte (Lambert): a metallic PBR material with no environment to reflect renders
 * almost black, and metal must stay visible; Lambert also costs a third of the standard
 * material per pixel on a software GPU (bench/render.bench.ts). Each look is its own material
 * object, never a toggled one, so that X-ray on → off returns to exactly the same state.
 */
function surfaceMaterial(
  color: THREE.Color,
  look: Look,
  clip: THREE.Plane[] | null,
): THREE.MeshLambertMaterial {
  const faint = look === 'back' || look === 'faint';
  return new THREE.MeshLambertMaterial({
    color,
    side: look === 'front' ? THREE.FrontSide : look === 'back' ? THREE.BackSide : THREE.DoubleSide,
    transparent: faint,
    opacity: faint ? XRAY_OPACITY : 1,
    depthWrite: !faint,
    polygonOffset: true,
    polygonOffsetFactor: 1,
    polygonOffsetUnits: 1,
    clippingPlanes: clip,
  });
}

/** The three.js plane that keeps coordinate ≤ at (three discards the negative side). */
function clipPlanes(cut: SectionCut | null): THREE.Plane[] | null {
  if (!cut) return null;
  const n = new THREE.Vector3();
  n.setComponent(cut.axis, -1);
  return [new THREE.Plane(n, cut.at)];
}

/** The picked surface, kept on the intersection so that the click handler gets the engine's answer. */
interface PickIntersection extends THREE.Intersection {
  pick: Pick;
}

/**
 * Pointer picking on the engine's BVH (the tracer's): an empty mesh whose raycast asks
 * pickScene what the person sees under the pointer (hidden objects, the cut and X-ray
 * included), so that React Three Fiber orders it with the devices and paths by distance.
 */
function ScenePicker({ scene }: { scene: Scene }) {
  const picker = useMemo(() => {
    const mesh = new THREE.Mesh(new THREE.BufferGeometry());
    mesh.raycast = (raycaster, intersects) => {
      const s = studio.get();
      const { origin: o, direction: d } = raycaster.ray;
      const pick = pickScene(scene, sceneIndex(scene).bvh, [o.x, o.y, o.z], [d.x, d.y, d.z], {
        hidden: new Set(s.hiddenObjects),
        cut: s.sectionCut,
        xray: s.xray,
        seeThrough: s.xrayFaces?.sceneId === s.twin?.sceneId ? (s.xrayFaces?.seeThrough ?? null) : null,
      });
      if (!pick) return;
      const hit: PickIntersection = {
        distance: pick.t,
        point: new THREE.Vector3(...pick.point),
        object: mesh,
        faceIndex: pick.triangle,
        face: { a: 0, b: 0, c: 0, normal: new THREE.Vector3(...pick.facingNormal), materialIndex: 0 },
        pick,
      };
      intersects.push(hit);
    };
    return mesh;
  }, [scene]);
  useEffect(() => () => picker.geometry.dispose(), [picker]);
  const onClick = (e: ThreeEvent<MouseEvent>) => {
    if (isDrag(e)) return;
    const pick = (e as unknown as { pick?: Pick }).pick;
    if (!pick) return;
    e.stopPropagation();
    const placing = studio.get().placing;
    if (placing) placeDevice(placing, pick);
    else selectSurface(pick.objectIndex, pick.faceIndex, pick.point as Vec3);
  };
  // biome-ignore lint/a11y/noStaticElementInteractions: three.js object, not a DOM element (keyboard access via the scene tree)
  return <primitive object={picker} onClick={onClick} />;
}

/** The surfaces, one draw call per material (X-ray: the opaque and see-through parts of each). */
export function SceneMeshes({ scene }: { scene: Scene }) {
  const materials = useStudio((s) => s.materials);
  const objectMaterial = useStudio((s) => s.objectMaterial);
  const selection = useStudio((s) => s.selection);
  const xray = useStudio((s) => s.xray);
  const hiddenList = useStudio((s) => s.hiddenObjects);
  const cut = useStudio((s) => s.sectionCut);
  const xrayFaces = useStudio((s) => s.xrayFaces);
  const twinId = useStudio((s) => s.twin?.sceneId);
  const gl = useThree((s) => s.gl);
  // while the camera moves (performance regressed), the edges are left out: lines are the
  // most expensive primitive on a software GPU; they return when the view rests
  const moving = useThree((s) => s.performance.current < 1);
  const hidden = useMemo(() => new Set(hiddenList), [hiddenList]);
  const seeThrough = xrayFaces?.sceneId === twinId ? (xrayFaces?.seeThrough ?? null) : null;
  useEffect(() => {
    gl.localClippingEnabled = true;
  }, [gl]);

  const batches = useMemo(
    () => (xray ? [] : materialBatches(scene, objectMaterial, hidden)),
    [scene, objectMaterial, hidden, xray],
  );
  const xbatches = useMemo(
    () => (xray && seeThrough ? xrayBatches(scene, objectMaterial, hidden, seeThrough) : []),
    [scene, objectMaterial, hidden, xray, seeThrough],
  );
  // X-ray before the engine worker answered which sides to see through: every surface faint
  const faintAll = useMemo(
    () => (xray && !seeThrough ? materialBatches(scene, objectMaterial, hidden) : []),
    [scene, objectMaterial, hidden, xray, seeThrough],
  );
  const edges = useMemo(() => faceEdges(scene, hidden), [scene, hidden]);
  const selected = useMemo(
    () =>
      selection && !hidden.has(selection.objectIndex) ? objectGeometry(scene, selection.objectIndex) : null,
    [scene, selection, hidden],
  );
  const planes = useMemo(() => clipPlanes(cut), [cut]);
  // one material per (material id, look), rebuilt when colours or the cut change
  const looks = useMemo(() => {
    const out = new Map<string, Record<Look, THREE.MeshLambertMaterial>>();
    const ids = new Set([...scene.objects.map((o, i) => objectMaterial[i] ?? o.materialId)]);
    for (const id of ids) {
      const c = surfaceColor(materials[id]);
      out.set(id, {
        opaque: surfaceMaterial(c, 'opaque', planes),
        front: surfaceMaterial(c, 'front', planes),
        back: surfaceMaterial(c, 'back', planes),
        faint: surfaceMaterial(c, 'faint', planes),
      });
    }
    return out;
  }, [scene, materials, objectMaterial, planes]);
  const edgeMaterial = useMemo(
    () =>
      new THREE.LineBasicMaterial({
        color: '#1d232b',
        transparent: true,
        opacity: xray ? 0.3 : 0.45,
        clippingPlanes: planes,
      }),
    [xray, planes],
  );
  const highlight = useMemo(
    () =>
      new THREE.MeshBasicMaterial({
        color: '#2f6fd6',
        transparent: true,
        opacity: 0.45,
        side: THREE.DoubleSide,
        depthWrite: false,
        polygonOffset: true,
        polygonOffsetFactor: -1,
        polygonOffsetUnits: -1,
        clippingPlanes: planes,
      }),
    [planes],
  );
  useEffect(
    () => () => {
      for (const b of batches) b.geometry.dispose();
      for (const b of faintAll) b.geometry.dispose();
      for (const b of xbatches) for (const g of [b.opaque, b.oneSided, b.clear]) g?.dispose();
    },
    [batches, xbatches, faintAll],
  );
  useEffect(() => () => edges.dispose(), [edges]);
  useEffect(() => () => selected?.dispose(), [selected]);
  useEffect(
    () => () => {
      for (const m of looks.values()) for (const x of Object.values(m)) x.dispose();
    },
    [looks],
  );
  useEffect(() => () => edgeMaterial.dispose(), [edgeMaterial]);
  useEffect(() => () => highlight.dispose(), [highlight]);

  const look = (id: string) => looks.get(id)!;
  return (
    <group>
      {batches.map((b) => (
        <mesh
          key={b.materialId}
          geometry={b.geometry}
          material={look(b.materialId).opaque}
          raycast={noRaycast}
        />
      ))}
      {faintAll.map((b) => (
        <mesh
          key={b.materialId}
          geometry={b.geometry}
          material={look(b.materialId).faint}
          raycast={noRaycast}
        />
      ))}
      {xbatches.map((b) => (
        <group key={b.materialId}>
          {b.opaque ? (
            <mesh geometry={b.opaque} material={look(b.materialId).opaque} raycast={noRaycast} />
          ) : null}
          {b.oneSided ? (
            <>
              <mesh geometry={b.oneSided} material={look(b.materialId).front} raycast={noRaycast} />
              <mesh geometry={b.oneSided} material={look(b.materialId).back} raycast={noRaycast} />
            </>
          ) : null}
          {b.clear ? (
            <mesh geometry={b.clear} material={look(b.materialId).faint} raycast={noRaycast} />
          ) : null}
        </group>
      ))}
      <lineSegments geometry={edges} material={edgeMaterial} raycast={noRaycast} visible={!moving} />
      {selected ? (
        <mesh geometry={selected} material={highlight} raycast={noRaycast} renderOrder={2} />
      ) : null}
      <ScenePicker scene={scene} />
    </group>
  );
}

/** Drawn surfaces are not raycast by three.js: ScenePicker answers for them through the BVH. */
const noRaycast = () => null;
