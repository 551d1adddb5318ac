import { InputError } from './errors.ts';

/**
 * Size and count limits every loader checks before it allocates or loops, so that a small
 * hostile file cannot make the engine run for minutes or out of memory. The defaults fit a
 * scene of 10⁷ triangles (a triangle soup: 3·10⁷ vertices); a person with a bigger input raises
 * one with the CLI's `--limit NAME=N` (names as in LIMIT_NAMES).
 */
export interface InputLimits {
  /** bytes read from one file */
  fileBytes: number;
  /** bytes one compressed stream (a PNG's image data, a zip entry) may inflate to */
  decompressedBytes: number;
  /** vertices of one mesh file or glTF accessor */
  vertices: number;
  /** faces (polygons) of one mesh, and the triangles they make */
  faces: number;
  /** vertex indices of one polygon */
  indicesPerFace: number;
  /** objects (shapes, OBJ groups, glTF primitives) of one scene */
  objects: number;
  /** glTF nodes */
  nodes: number;
  /** posed images of a transforms.json */
  frames: number;
  /** rows of a CSV file or entries of a list in a JSON file */
  rows: number;
  /** nesting depth of XML elements and JSON values */
  depth: number;
}

export const DEFAULT_LIMITS: Readonly<InputLimits> = Object.freeze({
  fileBytes: 2 ** 30,
  decompressedBytes: 2 ** 29,
  vertices: 2 ** 25,
  faces: 2 ** 24,
  indicesPerFace: 2 ** 20,
  objects: 2 ** 20,
  nodes: 2 ** 20,
  frames: 2 ** 12,
  rows: 10_000_000,
  depth: 2 ** 16,
});

/** `--limit` names (kebab case) of each limit. */
export const LIMIT_NAMES: Readonly<Record<keyof InputLimits, string>> = Object.freeze({
  fileBytes: 'file-bytes',
  decompressedBytes: 'decompressed-bytes',
  vertices: 'vertices',
  faces: 'faces',
  indicesPerFace: 'indices-per-face',
  objects: 'objects',
  nodes: 'nodes',
  frames: 'frames',
  rows: 'rows',
  depth: 'depth',
});

export function withDefaultLimits(limits: Partial<InputLimits> = {}): InputLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}

/** Human form of a byte count: "1.5 GiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** The "(raise with --limit …)" hint of a limit's error. */
export const limitHint = (name: keyof InputLimits, limits: InputLimits): string =>
  `the limit is ${name.endsWith('Bytes') ? formatBytes(limits[name]) : limits[name].toLocaleString('en-US')}; raise it with --limit ${LIMIT_NAMES[name]}=N`;

/**
 * Throw an InputError when `count` exceeds a limit. `what` says what was counted
 * ("declares 4294967295 vertices").
 */
export function checkLimit(
  limits: InputLimits,
  name: keyof InputLimits,
  count: number,
  file: string,
  element: string,
  what: string,
): void {
  if (count > limits[name]) throw new InputError(file, element, `${what}: ${limitHint(name, limits)}`);
}
