import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The one place tests, benchmarks and e2e specs find the files they read: everything is inside
 * the repository (test/fixtures/, public/demo/), located from this file, so a clone alone passes.
 */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES_DIR = join(REPO_ROOT, 'test', 'fixtures');
/** NVIDIA Sionna RT v1.0.1 example scenes (Apache-2.0; test/fixtures/sionna/README.md). */
export const SIONNA_SCENES_DIR = join(FIXTURES_DIR, 'sionna');
export const SIONNA_SCENE_NAMES = [
  'box',
  'box_one_screen',
  'double_reflector',
  'floor_wall',
  'simple_reflector',
  'simple_street_canyon',
] as const;
export type SionnaSceneName = (typeof SIONNA_SCENE_NAMES)[number];
export const sionnaScenePath = (name: string): string => join(SIONNA_SCENES_DIR, name, `${name}.xml`);
/** Every Sionna fixture scene's XML, sorted by name. */
export const sionnaSceneFiles = (): string[] => SIONNA_SCENE_NAMES.map(sionnaScenePath);
/** A Sionna fixture scene's files: its XML, then its meshes. */
export function sionnaSceneFolder(name: SionnaSceneName): string[] {
  const dir = join(SIONNA_SCENES_DIR, name);
  const meshes = readdirSync(join(dir, 'meshes')).sort();
  return [join(dir, `${name}.xml`), ...meshes.map((f) => join(dir, 'meshes', f))];
}
export const DEMO_DIR = join(REPO_ROOT, 'public', 'demo');
export const DEMO_ROOM_PATH = join(DEMO_DIR, 'room.xml');
/**
 * The second room of the translator experiment (scripts/make-second-room.ts): the demo's
 * material classes differently arranged, with rendered views and the demo's truth.
 */
export const SECOND_ROOM_DIR = join(FIXTURES_DIR, 'second-room');
