import { parseSoundings } from '../../engine/io/index.ts';
import { setStatus, studio } from '../store.ts';
import { acceptViews } from '../vision/runVisionPriors.ts';
import type { InputFile } from '../worker/protocol.ts';

/** Soundings (CSV or JSON) are validated by the engine's parser (errors carry line numbers). */
export async function acceptSoundings(f: InputFile) {
  // the same reader as rftwin calibrate: strict numbers, rows and nesting limits, a chunk at a time
  const items = parseSoundings(f.data, f.path);
  studio.set({ soundings: { file: f.path, items } });
  const metrics = new Set(items.flatMap((s) => Object.keys(s.metrics)));
  setStatus({
    level: 'ok',
    message: `Soundings ${f.path}: ${items.length} links (${[...metrics].join(', ') || 'multipath only'})`,
  });
}

/** Images with transforms.json feed the vision priors. */
export async function acceptVisionInputs(
  _files: InputFile[],
  transforms: InputFile | undefined,
  images: InputFile[],
) {
  if (!transforms) {
    throw new Error(
      `${images.map((i) => i.path).join(', ')}: images need their camera poses; drop them together with transforms.json`,
    );
  }
  studio.set({ visionInputs: { transforms: transforms.path, images: images.map((i) => i.path) } });
  setStatus({
    level: 'info',
    message: `${transforms.path}: ${images.length} images ready for vision priors`,
  });
  // validated and run in the engine worker; the twin's materials change only when it succeeds
  await acceptViews([transforms, ...images], transforms.path);
}
