/**
 * GPU buffer layouts declared once: a struct's fields in TypeScript give both its WGSL text and
 * the word offsets the host packs with, so the two cannot drift (WGSL's host-shareable layout
 * rules: scalars align to 4 bytes, vec2 to 8, vec4 to 16; a struct aligns to its widest member and
 * its size rounds up to that alignment).
 *
 * Kernels also get the constants they are built with (array sizes, which WGSL does not allow
 * pipeline overrides for) from wgslConstants, and flags from pipeline-overridable constants.
 */
export type FieldType = 'f32' | 'u32' | 'i32' | 'vec2f' | 'vec4f';

const SIZE: Record<FieldType, number> = { f32: 1, u32: 1, i32: 1, vec2f: 2, vec4f: 4 };
const ALIGN: Record<FieldType, number> = { f32: 1, u32: 1, i32: 1, vec2f: 2, vec4f: 4 };

export interface StructLayout<K extends string> {
  name: string;
  /** the WGSL declaration */
  wgsl: string;
  /** words (4 bytes) per element of an array of this struct */
  stride: number;
  /** word offset of each field in an element */
  offset: Record<K, number>;
}

export function defineStruct<K extends string>(
  name: string,
  fields: readonly (readonly [K, FieldType, string?])[],
): StructLayout<K> {
  let at = 0;
  let align = 1;
  const offset = {} as Record<K, number>;
  const lines: string[] = [];
  for (const [field, type, comment] of fields) {
    const a = ALIGN[type];
    at = Math.ceil(at / a) * a;
    offset[field] = at;
    at += SIZE[type];
    align = Math.max(align, a);
    lines.push(`  ${field}: ${type},${comment ? ` // ${comment}` : ''}`);
  }
  const stride = Math.ceil(at / align) * align;
  return { name, wgsl: `struct ${name} {\n${lines.join('\n')}\n}\n`, stride, offset };
}

/** Typed views over one packed buffer of `count` structs. */
export function packedArray(layout: StructLayout<string>, count: number) {
  const buffer = new ArrayBuffer(4 * layout.stride * Math.max(1, count));
  return { buffer, f32: new Float32Array(buffer), u32: new Uint32Array(buffer), i32: new Int32Array(buffer) };
}

/** `const NAME: u32 = value;` lines for the integer constants a kernel is built with. */
export function wgslConstants(values: Record<string, number>): string {
  return Object.entries(values)
    .map(([k, v]) => {
      if (!Number.isInteger(v) || v < 0)
        throw new RangeError(`WGSL constant ${k} must be a non-negative integer, got ${v}`);
      return `const ${k}: u32 = ${v}u;\n`;
    })
    .join('');
}
