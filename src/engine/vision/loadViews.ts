import { InputError } from '../core/errors.ts';
import { decodePng, isPng, type RgbaImage } from '../core/image.ts';
import { type FileSource, resolveRelative } from '../scene/fileSource.ts';
import { checkImageSize, parseTransforms } from './camera.ts';
import type { ViewImage } from './surfacePriors.ts';

/** Turns image file bytes into RGBA pixels (the studio passes one built on createImageBitmap). */
export type ImageDecoder = (bytes: Uint8Array, path: string) => Promise<RgbaImage>;

/** PNG with the built-in decoder; hosts pass a decoder for other formats (Node: nodeImageDecoder). */
export const defaultImageDecoder: ImageDecoder = async (bytes, path) => {
  if (isPng(bytes)) return decodePng(bytes, path);
  throw new InputError(
    path,
    undefined,
    'only PNG can be decoded here; the host passes a decoder for other formats',
  );
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
