import sharp from 'sharp';
import { InputError } from '../core/errors.ts';
import { decodePng, isPng } from '../core/image.ts';
import type { ImageDecoder } from '../vision/loadViews.ts';

/** Image decoding in Node: PNG with the engine's decoder, other formats (JPEG…) through sharp. */
export const nodeImageDecoder: ImageDecoder = async (bytes, path) => {
  if (isPng(bytes)) return decodePng(bytes, path);
  try {
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
