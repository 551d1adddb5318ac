import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/paths.ts';
import { loadClipEmbedder } from './clipEmbedder.ts';

/**
 * Model download progress: transformers.js's progress_callback, summed over the files it
 * fetches. Here on the committed tiny model folder (the hub model is not cached on this
 * machine): every file the model needs is reported with its size on disk, and the last
 * report says all bytes of all files.
 */
const MODEL = join(REPO_ROOT, 'public', 'models', 'tiny-clip');

describe('loadClipEmbedder progress', () => {
  it('reports each model file with its size and ends at the sum of them', async () => {
    const messages: { message: string; fraction?: number }[] = [];
    const files = new Map<string, { loaded: number; total: number }>();
    const embedder = await loadClipEmbedder(MODEL, {
      allowRemote: false,
      onProgress: (message, fraction) => messages.push({ message, fraction }),
      onFile: (file, loaded, total) => files.set(file, { loaded, total }),
    });
    await embedder.dispose();
    const onDisk = readdirSync(MODEL, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name !== 'README.md')
      .map((d) => relative(MODEL, join(d.parentPath, d.name)))
      .sort();
    expect([...files.keys()].sort()).toEqual(onDisk);
    for (const f of onDisk) {
      const bytes = statSync(join(MODEL, f)).size;
      expect(files.get(f), f).toEqual({ loaded: bytes, total: bytes });
    }
    const last = messages.at(-1)!;
    const total = onDisk.reduce((s, f) => s + statSync(join(MODEL, f)).size, 0);
    expect(last.fraction).toBe(1);
    expect(last.message).toBe(
      `fetching CLIP ${MODEL}: ${(total / 1e3).toFixed(1)} kB of ${(total / 1e3).toFixed(1)} kB (${onDisk.length} files)`,
    );
  });
});
