import { viridis } from '../engine/radiomap/index.ts';
import type { StudioMaterial } from './store.ts';

/** Fixed colours for ITU materials so the same material looks the same in every scene. */
const ITU_COLORS: Record<string, string> = {
  concrete: '#9a9a96',
  brick: '#b5603c',
  plasterboard: '#e6e1d3',
  wood: '#c4955a',
  glass: '#8fd0e8',
  ceiling_board: '#d9d4c7',
  chipboard: '#d9b77e',
  plywood: '#b98b4e',
  marble: '#ece8de',
  floorboard: '#8c6239',
  metal: '#7f93a8',
  very_dry_ground: '#b59f76',
  medium_dry_ground: '#8f7a52',
  wet_ground: '#5c4a30',
};
const UNKNOWN_COLOR = '#d04aa0';

function hashColor(id: string): string {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${h % 360}, 45%, 58%)`;
}

export function materialColor(m: StudioMaterial | undefined): string {
  if (!m) return UNKNOWN_COLOR;
  if (m.spec.kind === 'itu') return ITU_COLORS[m.spec.ituName] ?? hashColor(m.spec.ituName);
  if (m.spec.kind === 'unknown') return UNKNOWN_COLOR;
  return hashColor(m.id);
}

export const SOURCE_LABEL: Record<StudioMaterial['source'], string> = {
  scene: 'scene file',
  name: 'name match',
  vision: 'vision prior',
  translator: 'translator',
  manual: 'manual',
  calibrated: 'calibrated',
  default: 'unknown (fallback)',
};

export { viridis };

export const viridisCss = (t: number) => {
  const [r, g, b] = viridis(t);
  return `rgb(${r | 0}, ${g | 0}, ${b | 0})`;
};

export const VIRIDIS_GRADIENT = `linear-gradient(to right, ${Array.from({ length: 9 }, (_, i) => viridisCss(i / 8)).join(', ')})`;
