import { InputError } from '../scene/errors.ts';
import { type FileSource, resolveRelative } from '../scene/fileSource.ts';
import { checkImageSize, parseTransforms } from './camera.ts';
import { decodePng, isPng, type RgbaImage } from './image.ts';
import type { ViewImage } from './surfacePriors.ts';

/** Turns image file bytes into RGBA pixels (the studio passes one built on createImageBitmap). */
export type ImageDecoder = (bytes: Uint8Array, path: string) => Promise<RgbaImage>;

/** PNG with the built-in decoder; other formats (JPEG…) through sharp in Node. */
export const defaultImageDecoder: ImageDecoder = async (bytes, path) => {
  if (isPng(bytes)) return decodePng(bytes, path);
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new InputError(
      path,
      undefined,
      'only PNG can be decoded here; pass an image decoder (createImageBitmap) for other formats',
    );
  }
  try {
    // Node only: a computed specifier keeps Vite from bundling sharp into the browser build
    // (where JPEG goes through createImageBitmap and this branch is never reached).
    const sharpId = 'sharp';
    const sharp = ((await import(/* @vite-ignore */ sharpId)) as typeof import('sharp')).default;
    const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (e) {
    throw new InputError(path, undefined, `cannot decode image (${(e as Error).message.split('\n')[0]})`);
  }
};

/**
 * Read transforms.json and every image it names (paths relative to the JSON file, as
 * Nerfstudio writes them), checking that each image exists and has the size the intrinsics say.
 */
export async function loadViews(
  source: FileSource,
  transformsPath: string,
  decode: ImageDecoder = defaultImageDecoder,
): Promise<ViewImage[]> {
  if (!(await source.exists(transformsPath)))
    throw new InputError(transformsPath, undefined, 'file not found');
  const frames = parseTransforms(new TextDecoder().decode(await source.read(transformsPath)), transformsPath);
  const views: ViewImage[] = [];
  for (const frame of frames) {
    const path = resolveRelative(transformsPath, frame.filePath);
    // Nerfstudio sometimes omits the extension in file_path
    const candidates = /\.[A-Za-z0-9]+$/.test(path)
      ? [path]
      : [path, `${path}.png`, `${path}.jpg`, `${path}.jpeg`];
    let found: string | undefined;
    for (const c of candidates) {
      if (await source.exists(c)) {
        found = c;
        break;
      }
    }
    if (!found)
      throw new InputError(transformsPath, `frame '${frame.filePath}'`, `image not found at ${path}`);
    const image = await decode(await source.read(found), found);
    checkImageSize(frame, image.width, image.height, transformsPath);
    views.push({ name: frame.filePath, camera: frame.camera, image });
  }
  return views;
}
