/**
 * Browser side of scripts/render-demo-views.ts: bundled with esbuild (three.js from
 * node_modules) into a page that headless Chromium opens; renders each face of the scene with a
 * texture baked from the same procedural class textures the tiny CLIP model is built around
 * (src/engine/vision/classTextures.ts), seen through pinhole cameras given by their intrinsics
 * and OpenGL camera-to-world poses, and hands back each view as a PNG data URL.
 */
import * as THREE from 'three';
import { classAlbedo, classRelief } from '../src/engine/vision/classTextures.ts';
import { surfaceShade } from '../src/engine/vision/rayRender.ts';
import type { PageCamera, PageFace, PageInput } from './demo-views-types.ts';

const dot = (a: readonly number[], b: readonly number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

/**
 * A face's texture: classAlbedo × surfaceShade (the ray caster's shading, the class's relief
 * included) sampled at texel centres over the face's (u, v) bounding box.
 */
function faceMesh(face: PageFace, input: PageInput, maxAnisotropy: number): THREE.Mesh {
  const p = face.positions;
  const us: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < p.length; i += 3) {
    const x = [p[i]!, p[i + 1]!, p[i + 2]!];
    us.push(dot(x, face.u));
    vs.push(dot(x, face.v));
  }
  const u0 = Math.min(...us);
  const v0 = Math.min(...vs);
  const du = Math.max(...us) - u0 || 1e-3;
  const dv = Math.max(...vs) - v0 || 1e-3;
  const W = Math.max(4, Math.min(input.maxTextureSize, Math.ceil(du * input.texelsPerMetre)));
  const H = Math.max(4, Math.min(input.maxTextureSize, Math.ceil(dv * input.texelsPerMetre)));
  const data = new Uint8Array(4 * W * H);
  const axes = { u: face.u, v: face.v };
  for (let j = 0; j < H; j++) {
    const v = v0 + ((j + 0.5) / H) * dv;
    for (let i = 0; i < W; i++) {
      const u = u0 + ((i + 0.5) / W) * du;
      const c = classAlbedo(face.cls, u, v);
      const k = surfaceShade(face.normal, axes, classRelief(face.cls, u, v), input.light);
      const q = 4 * (j * W + i);
      data[q] = Math.round(255 * Math.min(1, c[0] * k));
      data[q + 1] = Math.round(255 * Math.min(1, c[1] * k));
      data[q + 2] = Math.round(255 * Math.min(1, c[2] * k));
      data[q + 3] = 255;
    }
  }
  const texture = new THREE.DataTexture(data, W, H, THREE.RGBAFormat, THREE.UnsignedByteType);
  // the albedo values are written to the image as they are (like the ray caster does):
  // no colour-space conversion anywhere
  texture.colorSpace = THREE.NoColorSpace;
  texture.generateMipmaps = true;
  texture.minFilter = THREE.LinearMipmapLinearFilter;
  texture.magFilter = THREE.LinearFilter;
  texture.anisotropy = maxAnisotropy;
  texture.needsUpdate = true;
  const uv = us.flatMap((u, k) => [(u - u0) / du, (vs[k]! - v0) / dv]);
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.Float32BufferAttribute(p, 3));
  geometry.setAttribute('uv', new THREE.Float32BufferAttribute(uv, 2));
  const material = new THREE.MeshBasicMaterial({ map: texture, side: THREE.DoubleSide });
  return new THREE.Mesh(geometry, material);
}

/** OpenGL projection of a pinhole camera with principal point (cx, cy), pixel y down. */
function projection(c: PageCamera, near: number, far: number): THREE.Matrix4 {
  const m = new THREE.Matrix4();
  m.set(
    (2 * c.fx) / c.width,
    0,
    (c.width - 2 * c.cx) / c.width,
    0,
    0,
    (2 * c.fy) / c.height,
    (2 * c.cy - c.height) / c.height,
    0,
    0,
    0,
    -(far + near) / (far - near),
    (-2 * far * near) / (far - near),
    0,
    0,
    -1,
    0,
  );
  return m;
}

async function renderViews(input: PageInput): Promise<string[]> {
  THREE.ColorManagement.enabled = false;
  const canvas = document.createElement('canvas');
  document.body.appendChild(canvas);
  const renderer = new THREE.WebGLRenderer({
    canvas,
    antialias: true,
    alpha: false,
    // toDataURL reads the drawing buffer after the frame has been presented
    preserveDrawingBuffer: true,
  });
  renderer.outputColorSpace = THREE.LinearSRGBColorSpace;
  renderer.toneMapping = THREE.NoToneMapping;
  renderer.setPixelRatio(1);
  renderer.setClearColor(new THREE.Color(...input.background), 1);
  const scene = new THREE.Scene();
  const aniso = renderer.capabilities.getMaxAnisotropy();
  for (const face of input.faces) scene.add(faceMesh(face, input, aniso));
  const urls: string[] = [];
  for (const c of input.cameras) {
    renderer.setSize(c.width, c.height, false);
    const camera = new THREE.PerspectiveCamera();
    const pose = new THREE.Matrix4();
    pose.set(...(c.camToWorld as Parameters<THREE.Matrix4['set']>));
    pose.decompose(camera.position, camera.quaternion, camera.scale);
    camera.updateMatrixWorld(true);
    camera.projectionMatrix.copy(projection(c, 0.05, 100));
    camera.projectionMatrixInverse.copy(camera.projectionMatrix).invert();
    renderer.render(scene, camera);
    urls.push(canvas.toDataURL('image/png'));
  }
  renderer.dispose();
  return urls;
}

(globalThis as unknown as { renderViews: typeof renderViews }).renderViews = renderViews;
