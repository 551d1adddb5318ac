/**
 * The real-photo check (docs/real-photos.md): photographs of material samples, one surface
 * filling each photo, become a posed view set the vision pipeline reads. Each photo gets a flat
 * board of `span` metres across (the width of surface the photo shows, measured or estimated),
 * 10 m from the next one, and a camera 1 m in front of it whose intrinsics make the photo cover
 * exactly its board; so the pipeline crops, and measures texture at 4 cm cells, at the photo's
 * true scale. The expected label is the file name's first word (brick_01.jpg → brick); the
 * boards' materials are neutral ("sample_1", …), so nothing but the image says what they are.
 *
 *   node bin/run-ts.mjs scripts/photo-board.ts PHOTOS_DIR OUT_DIR [--span 1.5]
 *     writes OUT_DIR/board.xml + meshes/, OUT_DIR/transforms.json, OUT_DIR/images/, labels.json
 *   node bin/run-ts.mjs scripts/photo-board.ts --report OUT_DIR/labels.json priors.json
 *     prints, per photo, the expected label against CLIP's label, confidence and S prior
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Vec3 } from '../src/engine/core/vec3.ts';
import { materialFromLabel } from '../src/engine/materials/radioMaterial.ts';
import { nodeImageDecoder } from '../src/engine/node/nodeImageDecoder.ts';
import { buildScene } from '../src/engine/scene/buildScene.ts';
import { exportSionnaScene } from '../src/engine/scene/exportSionna.ts';
import { quadMesh } from '../src/engine/scene/primitives.ts';
import type { Scene } from '../src/engine/scene/types.ts';
import { type Camera, lookAt } from '../src/engine/vision/camera.ts';

export interface Photo {
  file: string;
  width: number;
  height: number;
}

/** The expected label of a photo: its file name's first word ("brick_01.jpg" → "brick"). */
export const expectedLabel = (file: string) =>
  basename(file, extname(file))
    .split(/[_\-\s\d]/)[0]!
    .toLowerCase();

/** One board and one camera per photo: the board spans `span` metres across the photo's width. */
export function photoBoard(photos: readonly Photo[], span: number): { scene: Scene; cameras: Camera[] } {
  const d = 1;
  const cameras: Camera[] = [];
  const meshes = photos.map((p, k) => {
    const x = 10 * k;
    const hw = span / 2;
    const hh = (span * p.height) / p.width / 2;
    // a vertical board in the plane y = 0, facing the camera at y = −d
    const a: Vec3 = [x - hw, 0, 1.5 - hh];
    const b: Vec3 = [x + hw, 0, 1.5 - hh];
    const c: Vec3 = [x + hw, 0, 1.5 + hh];
    const e: Vec3 = [x - hw, 0, 1.5 + hh];
    const f = (p.width * d) / span;
    cameras.push({
      width: p.width,
      height: p.height,
      fx: f,
      fy: f,
      cx: p.width / 2,
      cy: p.height / 2,
      camToWorld: lookAt([x, -d, 1.5], [x, 0, 1.5]),
    });
    return { name: `sample_${k + 1}`, materialId: `sample_${k + 1}`, ...quadMesh(a, b, c, e), file: p.file };
  });
  // neutral materials: nothing but the image says what a sample is
  const materials = Object.fromEntries(meshes.map((m) => [m.materialId, materialFromLabel(m.materialId)]));
  return { scene: buildScene('board', meshes, materials), cameras };
}

/** transforms.json with per-frame intrinsics (Nerfstudio allows them; photos differ in size). */
function transformsText(photos: readonly Photo[], cameras: readonly Camera[]): string {
  const rows = (m: readonly number[]) =>
    [0, 4, 8, 12].map((i) => m.slice(i, i + 4).map((v) => Number(v.toFixed(9))));
  return `${JSON.stringify(
    {
      camera_model: 'OPENCV',
      frames: photos.map((p, k) => {
        const c = cameras[k]!;
        return {
          file_path: `images/${basename(p.file)}`,
          fl_x: c.fx,
          fl_y: c.fy,
          cx: c.cx,
          cy: c.cy,
          w: c.width,
          h: c.height,
          transform_matrix: rows(c.camToWorld),
        };
      }),
    },
    null,
    2,
  )}\n`;
}

export async function build(photosDir: string, outDir: string, span: number) {
  const files = readdirSync(photosDir)
    .filter((f) => /\.(png|jpe?g|webp)$/i.test(f))
    .sort();
  if (files.length === 0) throw new Error(`${photosDir}: no .png, .jpg or .webp photos`);
  const photos: Photo[] = [];
  for (const f of files) {
    const img = await nodeImageDecoder(new Uint8Array(readFileSync(join(photosDir, f))), f);
    photos.push({ file: f, width: img.width, height: img.height });
  }
  const { scene, cameras } = photoBoard(photos, span);
  mkdirSync(join(outDir, 'images'), { recursive: true });
  for (const [path, bytes] of exportSionnaScene(scene, 'photo board (scripts/photo-board.ts)')) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    writeFileSync(join(outDir, path), bytes);
  }
  for (const f of files) copyFileSync(join(photosDir, f), join(outDir, 'images', f));
  writeFileSync(join(outDir, 'transforms.json'), transformsText(photos, cameras));
  const labels = Object.fromEntries(
    photos.map((p, k) => [`sample_${k + 1}`, { file: p.file, expected: expectedLabel(p.file) }]),
  );
  writeFileSync(join(outDir, 'labels.json'), `${JSON.stringify({ span_m: span, labels }, null, 2)}\n`);
  console.error(
    `wrote ${photos.length} boards (${span} m across) to ${outDir}: board.xml, transforms.json, labels.json`,
  );
}

/** Expected against found, per photo, from the labels file and a priors file of the board. */
export function reportRows(labelsText: string, priorsText: string): string[] {
  const { labels } = JSON.parse(labelsText) as { labels: Record<string, { file: string; expected: string }> };
  const priors = JSON.parse(priorsText) as {
    model?: string;
    objects: Record<
      string,
      {
        status?: string;
        label?: string;
        confidence?: number;
        roughness?: { label: string; scattering_coefficient: number; source: string };
      }
    >;
  };
  return Object.entries(labels).map(([name, l]) => {
    const o = priors.objects[name];
    if (o?.status !== 'seen') return `${l.file}\texpected ${l.expected}\t${o?.status ?? 'missing'}`;
    const ok = o.label === l.expected ? 'ok' : 'WRONG';
    return `${l.file}\texpected ${l.expected}\tgot ${o.label} (${Math.round(100 * (o.confidence ?? 0))} %) ${ok}\troughness ${o.roughness?.label} S ${o.roughness?.scattering_coefficient} (${o.roughness?.source})`;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--report') {
    const rows = reportRows(readFileSync(args[1]!, 'utf8'), readFileSync(args[2]!, 'utf8'));
    process.stdout.write(`${rows.join('\n')}\n`);
  } else {
    const k = args.indexOf('--span');
    const span = k >= 0 ? Number(args[k + 1]) : 1.5;
    const [photosDir, outDir] = args.filter((_, i) => i !== k && i !== k + 1);
    if (!photosDir || !outDir || !(span > 0)) {
      console.error(
        'usage: photo-board.ts PHOTOS_DIR OUT_DIR [--span metres] | --report labels.json priors.json',
      );
      process.exit(2);
    }
    await build(photosDir, outDir, span);
  }
}
