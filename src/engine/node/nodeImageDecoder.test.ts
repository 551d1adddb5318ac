import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { nodeImageDecoder } from './nodeImageDecoder.ts';

describe('Node image decoder', () => {
  it('decodes a JPEG through sharp to RGBA of the right size and colour', async () => {
    const jpg = await sharp({
      create: { width: 8, height: 6, channels: 3, background: { r: 200, g: 30, b: 20 } },
    })
      .jpeg({ quality: 95 })
      .toBuffer();
    const img = await nodeImageDecoder(new Uint8Array(jpg), 'views/x.jpg');
    expect([img.width, img.height]).toEqual([8, 6]);
    expect(img.data.length).toBe(8 * 6 * 4);
    // JPEG is lossy: the flat colour comes back within a few levels, alpha opaque
    expect(Math.abs(img.data[0]! - 200)).toBeLessThan(6);
    expect(Math.abs(img.data[1]! - 30)).toBeLessThan(6);
    expect(Math.abs(img.data[2]! - 20)).toBeLessThan(6);
    expect(img.data[3]).toBe(255);
  });

  it('names the file when the bytes are not an image', async () => {
    await expect(nodeImageDecoder(new Uint8Array([1, 2, 3, 4]), 'views/broken.jpg')).rejects.toThrow(
      /views\/broken\.jpg.*cannot decode image/,
    );
  });
});
