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
  manual: 'manual',
  calibrated: 'calibrated',
  default: 'unknown (fallback)',
};

/** Viridis, sampled at 9 stops: perceptually uniform, readable in grey, for maps and path gains. */
const VIRIDIS = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
] as const;

/** Colour of t ∈ [0, 1] on viridis as [r, g, b] in 0..255. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export const viridisCss = (t: number) => {
  const [r, g, b] = viridis(t);
  return `rgb(${r | 0}, ${g | 0}, ${b | 0})`;
};

export const VIRIDIS_GRADIENT = `linear-gradient(to right, ${Array.from({ length: 9 }, (_, i) => viridisCss(i / 8)).join(', ')})`;
