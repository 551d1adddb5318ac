import { InputError } from '../core/errors.ts';
import { decodePng, isPng, type RgbaImage } from '../core/image.ts';
import { decodeText } from '../core/lines.ts';
import { type FileSource, InputFiles, type LoadOptions } from '../scene/fileSource.ts';
import { checkImageSize, parseTransforms } from './camera.ts';
import type { ViewImage } from './surfacePriors.ts';

/**
 * Turns image file bytes into RGBA pixels (the studio passes one built on createImageBitmap),
 * refusing images whose pixels would take more than `maxDecodedBytes`.
 */
export type ImageDecoder = (bytes: Uint8Array, path: string, maxDecodedBytes?: number) => Promise<RgbaImage>;

/** PNG with the built-in decoder; hosts pass a decoder for other formats (Node: nodeImageDecoder). */
export const defaultImageDecoder: ImageDecoder = async (bytes, path, maxDecodedBytes) => {
  if (isPng(bytes)) return decodePng(bytes, path, maxDecodedBytes);
  throw new InputError(
    path,
    'image',
    'only PNG can be decoded here; the host passes a decoder for other formats',
  );
};

/**
 * Read transforms.json and every image it names (paths relative to the JSON file, as
 * Nerfstudio writes them, within its folder unless `options.allowOutside`), checking that each
 * image exists and has the size the intrinsics say; at most `limits.frames` frames.
 */
export async function loadViews(
  source: FileSource,
  transformsPath: string,
  decode: ImageDecoder = defaultImageDecoder,
  options: LoadOptions = {},
): Promise<ViewImage[]> {
  const files = new InputFiles(source, transformsPath, options);
  if (!(await source.exists(transformsPath)))
    throw new InputError(transformsPath, undefined, 'file not found');
  const frames = parseTransforms(
    decodeText(await files.readTop(), transformsPath),
    transformsPath,
    files.limits,
  );
  const views: ViewImage[] = [];
  for (const [i, frame] of frames.entries()) {
    const where = `frames[${i}].file_path`;
    const path = files.resolve(transformsPath, frame.filePath, where, 'image');
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
    const bytes = await files.readRef(transformsPath, found, where, 'image');
    const image = await decode(bytes, found, files.limits.decompressedBytes);
    checkImageSize(frame, image.width, image.height, transformsPath);
    views.push({ name: frame.filePath, camera: frame.camera, image });
  }
  return views;
}
