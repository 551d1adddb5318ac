/** What scripts/render-demo-views.ts (Node) hands to scripts/demo-views-page.ts (browser). */
export interface PageFace {
  /** 9 numbers per triangle, world metres */
  positions: number[];
  /** in-plane texture axes (metres along u and v), as the vision code's surfaceAxes gives them */
  u: [number, number, number];
  v: [number, number, number];
  /** unit face normal (the shading normal before the class's relief tilts it) */
  normal: [number, number, number];
  cls: string;
}

export interface PageCamera {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /** row-major 4×4 camera-to-world, OpenGL convention (looks down −z, y up) */
  camToWorld: number[];
}

export interface PageInput {
  faces: PageFace[];
  cameras: PageCamera[];
  background: [number, number, number];
  /** direction towards the light, as the ray caster's DEFAULT_LIGHT */
  light: [number, number, number];
  /** texels per metre of the baked face textures */
  texelsPerMetre: number;
  maxTextureSize: number;
}
