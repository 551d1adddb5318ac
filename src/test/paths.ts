import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root and the shared Sionna scenes (../shared beside the checkout). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SIONNA_SCENES_DIR = resolve(REPO_ROOT, '..', 'shared', 'scenes', 'sionna');
export const SIONNA_SCENE_NAMES = [
  'box',
  'box_one_screen',
  'double_reflector',
  'floor_wall',
  'simple_reflector',
  'simple_street_canyon',
] as const;
export const sionnaScenePath = (name: string): string => join(SIONNA_SCENES_DIR, name, `${name}.xml`);
export const DEMO_ROOM_PATH = join(REPO_ROOT, 'public', 'demo', 'room.xml');
