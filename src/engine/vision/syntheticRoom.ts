import type { Vec3 } from '../core/vec3.ts';
import { ituSpec, materialFromLabel, type SceneMaterial } from '../materials/radioMaterial.ts';
import { buildScene } from '../scene/buildScene.ts';
import { boxMesh, quadMesh } from '../scene/primitives.ts';
import type { MeshInput, Scene } from '../scene/types.ts';
import { buildBvh } from '../tracer/bvh.ts';
import { type Camera, lookAt } from './camera.ts';
import { renderClassView } from './rayRender.ts';
import type { ViewImage } from './surfacePriors.ts';
import { DEFAULT_CANDIDATES } from './vocabulary.ts';

/**
 * Synthetic rooms whose surfaces are painted with the class textures, with posed views rendered
 * by the CPU ray caster: the ground truth for testing the vision pipeline (which material is on
 * which surface is known exactly) and for the transfer experiment (twin A vs twin B).
 */
export interface RoomObject {
  name: string;
  /** texture class and candidate label */
  cls: string;
  mesh: { vertices: number[]; indices: number[] };
}

export { quadMesh };

export interface RoomLayout {
  /** half width of the square room (m) */
  half: number;
  height: number;
  walls: { south: string; north: string; west: string; east: string };
  floor: string;
  /** boxes: class and footprint centre, size (w, d, h) */
  boxes: { cls: string; at: [number, number]; size: [number, number, number] }[];
  /** a class painted on a plate sealed inside the first box: no camera can see it */
  hidden?: string;
}

export function roomObjects(layout: RoomLayout): RoomObject[] {
  const { half: s, height: H } = layout;
  const objects: RoomObject[] = [
    { name: 'floor', cls: layout.floor, mesh: quadMesh([-s, -s, 0], [s, -s, 0], [s, s, 0], [-s, s, 0]) },
    {
      name: 'wall_south',
      cls: layout.walls.south,
      mesh: quadMesh([-s, -s, 0], [-s, -s, H], [s, -s, H], [s, -s, 0]),
    },
    {
      name: 'wall_north',
      cls: layout.walls.north,
      mesh: quadMesh([-s, s, 0], [s, s, 0], [s, s, H], [-s, s, H]),
    },
    {
      name: 'wall_west',
      cls: layout.walls.west,
      mesh: quadMesh([-s, -s, 0], [-s, s, 0], [-s, s, H], [-s, -s, H]),
    },
    {
      name: 'wall_east',
      cls: layout.walls.east,
      mesh: quadMesh([s, -s, 0], [s, -s, H], [s, s, H], [s, s, 0]),
    },
  ];
  layout.boxes.forEach((b, i) => {
    const [w, d, h] = b.size;
    objects.push({
      name: `box${i}_${b.cls}`,
      cls: b.cls,
      mesh: boxMesh([b.at[0] - w / 2, b.at[1] - d / 2, 0.001], [b.at[0] + w / 2, b.at[1] + d / 2, h]),
    });
  });
  if (layout.hidden && layout.boxes[0]) {
    const b = layout.boxes[0];
    objects.push({
      name: `hidden_${layout.hidden}`,
      cls: layout.hidden,
      mesh: quadMesh(
        [b.at[0] - 0.2, b.at[1] - 0.2, 0.3],
        [b.at[0] + 0.2, b.at[1] - 0.2, 0.3],
        [b.at[0] + 0.2, b.at[1] + 0.2, 0.3],
        [b.at[0] - 0.2, b.at[1] + 0.2, 0.3],
      ),
    });
  }
  return objects;
}

/** Scene of the objects; each object's material id is "mat_<class>" mapped to the class's ITU material. */
export function roomScene(name: string, objects: RoomObject[]): Scene {
  const materials: Record<string, SceneMaterial> = {};
  const meshes: MeshInput[] = objects.map((o) => {
    const id = `mat_${o.cls}`;
    const ituName = DEFAULT_CANDIDATES.find((c) => c.label === o.cls)?.ituName;
    materials[id] ??= ituName ? { id, spec: ituSpec(ituName), source: 'scene' } : materialFromLabel(id);
    return {
      name: o.name,
      materialId: id,
      vertices: o.mesh.vertices,
      indices: o.mesh.indices,
      file: `${name}.synthetic`,
    };
  });
  return buildScene(name, meshes, materials);
}

/** Cameras around a room: eye height 1.6 m, near the walls, looking across at targets. */
export function roomCameras(half: number, count: number, width = 240, height = 180, f = 190): Camera[] {
  const cams: Camera[] = [];
  for (let k = 0; k < count; k++) {
    const a = (2 * Math.PI * k) / count + 0.3;
    // on a square just inside the walls, clear of the boxes
    const r = (0.9 * half) / Math.max(Math.abs(Math.cos(a)), Math.abs(Math.sin(a)));
    const eye: Vec3 = [r * Math.cos(a), r * Math.sin(a), 1.4 + 0.6 * (k % 2)];
    const b = a + Math.PI + 0.5 * (k % 3 === 0 ? 1 : -0.6);
    const target: Vec3 = [0.9 * half * Math.cos(b), 0.9 * half * Math.sin(b), 0.6 + 0.5 * (k % 2)];
    cams.push({
      width,
      height,
      fx: f,
      fy: f,
      cx: width / 2,
      cy: height / 2,
      camToWorld: lookAt(eye, target),
    });
  }
  return cams;
}

/** Render every camera's view of the room's class textures. */
export function renderRoomViews(
  scene: Scene,
  objects: RoomObject[],
  cameras: Camera[],
  supersample = 2,
): ViewImage[] {
  const bvh = buildBvh(scene);
  const classes = objects.map((o) => o.cls);
  return cameras.map((camera, k) => ({
    name: `view_${String(k).padStart(2, '0')}`,
    camera,
    image: renderClassView(scene, bvh, camera, classes, { supersample }),
  }));
}

/** Layout of the transfer experiment's twin A and twin B: same classes, different places. */
export const LAYOUT_A: RoomLayout = {
  half: 4,
  height: 3,
  walls: { south: 'brick', north: 'plasterboard', west: 'concrete', east: 'glass' },
  floor: 'carpet',
  boxes: [
    { cls: 'wood', at: [-2, 2], size: [1, 1.6, 1] },
    { cls: 'marble', at: [2, -2], size: [1.2, 1, 0.9] },
    { cls: 'chipboard', at: [-2, -2], size: [1, 1, 1.1] },
    { cls: 'metal', at: [2, 2], size: [0.8, 1.2, 1.2] },
    { cls: 'tile', at: [0, -0.5], size: [1.2, 0.8, 0.7] },
    { cls: 'fabric', at: [0.2, 1.6], size: [1, 0.8, 0.8] },
  ],
  hidden: 'metal',
};

export const LAYOUT_B: RoomLayout = {
  half: 3.5,
  height: 2.8,
  walls: { south: 'concrete', north: 'brick', west: 'glass', east: 'plasterboard' },
  floor: 'tile',
  boxes: [
    { cls: 'chipboard', at: [1.5, 1.5], size: [1.1, 0.9, 0.9] },
    { cls: 'wood', at: [-1.5, -1.2], size: [0.9, 1.2, 1.1] },
    { cls: 'marble', at: [-1.6, 1.4], size: [1, 1, 0.8] },
    { cls: 'fabric', at: [1.4, -1.5], size: [1.2, 0.8, 0.7] },
  ],
};
