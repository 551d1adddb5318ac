import { InputError } from '../core/errors.ts';
import { decodePng, isPng } from '../core/image.ts';
import { DEFAULT_LIMITS } from '../core/limits.ts';
import type { ImageDecoder } from '../vision/loadViews.ts';

/**
 * Image decoding in Node: PNG with the engine's decoder, other formats (JPEG…) through sharp,
 * loaded on first use (its native library costs start-up time every command would pay).
 */
export const nodeImageDecoder: ImageDecoder = async (
  bytes,
  path,
  maxDecodedBytes = DEFAULT_LIMITS.decompressedBytes,
) => {
  if (isPng(bytes)) return decodePng(bytes, path, maxDecodedBytes);
  const { default: sharp } = await import('sharp');
  try {
    // sharp refuses more input pixels than this before it decodes them
    const limitInputPixels = Math.max(1, Math.floor(maxDecodedBytes / 4));
    const { data, info } = await sharp(bytes, { limitInputPixels })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (e) {
    throw new InputError(path, 'image', `cannot decode image (${(e as Error).message.split('\n')[0]})`);
  }
};
