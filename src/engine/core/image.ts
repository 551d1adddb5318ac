import { zlibSync } from 'fflate';
import { InputError } from './errors.ts';
import { inflateCapped } from './inflate.ts';
import { DEFAULT_LIMITS } from './limits.ts';

/**
 * A decoded image as the vision engine consumes it, the same in Node and in a Worker:
 * 8-bit RGBA, row-major from the top-left pixel. (The studio decodes files with
 * createImageBitmap + OffscreenCanvas.getImageData, which yields exactly this layout.)
 */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

export function createImage(width: number, height: number): RgbaImage {
  return { width, height, data: new Uint8Array(4 * width * height) };
}

/** Copy of the pixels of [x0, x0+w) × [y0, y0+h), clipped to the image by the caller. */
export function cropImage(img: RgbaImage, x0: number, y0: number, w: number, h: number): RgbaImage {
  const out = createImage(w, h);
  for (let y = 0; y < h; y++) {
    const src = 4 * ((y0 + y) * img.width + x0);
    out.data.set(img.data.subarray(src, src + 4 * w), 4 * y * w);
  }
  return out;
}

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Encode RGBA8 as a PNG (filter "Sub" on every row, which suits smooth renders). */
export function encodePng(img: RgbaImage): Uint8Array {
  const stride = 4 * img.width;
  const raw = new Uint8Array((stride + 1) * img.height);
  for (let y = 0; y < img.height; y++) {
    const o = y * (stride + 1);
    raw[o] = 1;
    for (let x = 0; x < stride; x++) {
      const cur = img.data[y * stride + x]!;
      const left = x >= 4 ? img.data[y * stride + x - 4]! : 0;
      raw[o + 1 + x] = (cur - left) & 0xff;
    }
  }
  const chunk = (type: string, data: Uint8Array): Uint8Array => {
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
    out.set(data, 8);
    view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, img.width);
  hv.setUint32(4, img.height);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const parts = [
    Uint8Array.from(PNG_SIGNATURE),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlibSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const isPng = (bytes: Uint8Array): boolean => PNG_SIGNATURE.every((b, i) => bytes[i] === b);

/**
 * Decode a non-interlaced PNG (grey, grey+alpha, RGB, RGBA, palette; 1–16 bits) to RGBA8.
 * `file` names the image in errors. The image data may inflate to at most what the header's
 * size needs, and that size to at most `maxDecodedBytes` (RGBA pixels and the raw rows alike).
 */
export function decodePng(
  bytes: Uint8Array,
  file: string,
  maxDecodedBytes: number = DEFAULT_LIMITS.decompressedBytes,
): RgbaImage {
  if (!isPng(bytes)) throw new InputError(file, 'signature', 'not a PNG file (bad signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = 0;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  while (pos + 8 <= bytes.length) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    if (data.length < len) throw new InputError(file, `chunk ${type}`, 'truncated PNG');
    if (type === 'IHDR') {
      if (len !== 13) throw new InputError(file, 'IHDR', `has ${len} bytes, expected 13`);
      width = view.getUint32(pos + 8);
      height = view.getUint32(pos + 12);
      depth = data[8]!;
      colorType = data[9]!;
      if (data[12] !== 0)
        throw new InputError(file, 'IHDR', 'interlaced PNG is not supported (re-save without interlacing)');
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') transparency = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  if (!width || !height || channels === undefined || ![1, 2, 4, 8, 16].includes(depth)) {
    throw new InputError(file, 'IHDR', `unsupported PNG (colour type ${colorType}, bit depth ${depth})`);
  }
  const bitsPerPixel = channels * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const rawBytes = (stride + 1) * height;
  const decoded = Math.max(rawBytes, 4 * width * height);
  if (decoded > maxDecodedBytes)
    throw new InputError(
      file,
      'IHDR',
      `${width}×${height} pixels need ${decoded.toLocaleString('en-US')} bytes decoded, more than the limit of ${maxDecodedBytes.toLocaleString('en-US')} (raise --limit decompressed-bytes)`,
    );
  if (idat.length === 0) throw new InputError(file, 'IDAT', 'no image data (file truncated?)');
  const joined = new Uint8Array(idat.reduce((s, d) => s + d.length, 0));
  let o = 0;
  for (const d of idat) {
    joined.set(d, o);
    o += d.length;
  }
  // the rows need exactly rawBytes: more is a decompression bomb, stopped at that size
  const raw = inflateCapped(
    joined,
    rawBytes,
    file,
    'IDAT',
    'zlib',
    `(${width}×${height} pixels need that much)`,
  );
  if (raw.length < rawBytes) throw new InputError(file, 'IDAT', 'image data shorter than width × height');
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = rows.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? rows.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? cur[x - bpp]! : 0;
      const b = prev[x]!;
      const c = x >= bpp ? prev[x - bpp]! : 0;
      let p: number;
      switch (filter) {
        case 0:
          p = 0;
          break;
        case 1:
          p = a;
          break;
        case 2:
          p = b;
          break;
        case 3:
          p = (a + b) >> 1;
          break;
        case 4: {
          const pa = Math.abs(b - c);
          const pb = Math.abs(a - c);
          const pc = Math.abs(a + b - 2 * c);
          p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          throw new InputError(file, `row ${y}`, `unknown PNG filter ${filter}`);
      }
      cur[x] = (src[x]! + p) & 0xff;
    }
  }
  const out = createImage(width, height);
  const sample = (y: number, i: number): number => {
    // i-th sample of row y, scaled to 8 bits
    if (depth === 8) return rows[y * stride + i]!;
    if (depth === 16) return rows[y * stride + 2 * i]!;
    const perByte = 8 / depth;
    const byte = rows[y * stride + Math.floor(i / perByte)]!;
    const shift = 8 - depth * ((i % perByte) + 1);
    const v = (byte >> shift) & ((1 << depth) - 1);
    return colorType === 3 ? v : Math.round((v * 255) / ((1 << depth) - 1));
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const q = 4 * (y * width + x);
      if (colorType === 3) {
        const idx = sample(y, x);
        if (!palette || 3 * idx + 2 >= palette.length)
          throw new InputError(file, 'PLTE', `palette index ${idx} out of range`);
        out.data[q] = palette[3 * idx]!;
        out.data[q + 1] = palette[3 * idx + 1]!;
        out.data[q + 2] = palette[3 * idx + 2]!;
        out.data[q + 3] = transparency && idx < transparency.length ? transparency[idx]! : 255;
      } else {
        const s = (k: number) => sample(y, x * channels + k);
        const grey = colorType === 0 || colorType === 4;
        out.data[q] = s(0);
        out.data[q + 1] = grey ? s(0) : s(1);
        out.data[q + 2] = grey ? s(0) : s(2);
        out.data[q + 3] = colorType === 4 ? s(1) : colorType === 6 ? s(3) : 255;
      }
    }
  }
  return out;
}

/**
 * Resize with clamp-to-edge bilinear sampling, averaging ⌈scale⌉² samples per output pixel when
 * shrinking (an area filter). Crops are resized here, to exactly the model's input size, so that
 * the image processor does not resample them (sharp's affine resize in Node pads the borders
 * with black when enlarging small crops, and the browser's canvas filter differs from it).
 */
export function resizeImage(img: RgbaImage, width: number, height: number): RgbaImage {
  if (img.width === width && img.height === height) return img;
  const out = createImage(width, height);
  const sx = img.width / width;
  const sy = img.height / height;
  const nx = Math.max(1, Math.ceil(sx));
  const ny = Math.max(1, Math.ceil(sy));
  const src = img.data;
  const W = img.width;
  const H = img.height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const acc = [0, 0, 0, 0];
      for (let j = 0; j < ny; j++) {
        // sample position in source pixel-centre coordinates
        const fy = Math.min(H - 1, Math.max(0, (y + (j + 0.5) / ny) * sy - 0.5));
        const y0 = Math.floor(fy);
        const y1 = Math.min(H - 1, y0 + 1);
        const ty = fy - y0;
        for (let i = 0; i < nx; i++) {
          const fx = Math.min(W - 1, Math.max(0, (x + (i + 0.5) / nx) * sx - 0.5));
          const x0 = Math.floor(fx);
          const x1 = Math.min(W - 1, x0 + 1);
          const tx = fx - x0;
          for (let k = 0; k < 4; k++) {
            const a = src[4 * (y0 * W + x0) + k]!;
            const b = src[4 * (y0 * W + x1) + k]!;
            const c = src[4 * (y1 * W + x0) + k]!;
            const d = src[4 * (y1 * W + x1) + k]!;
            acc[k]! += (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty;
          }
        }
      }
      for (let k = 0; k < 4; k++) out.data[4 * (y * width + x) + k] = Math.round(acc[k]! / (nx * ny));
    }
  }
  return out;
}
