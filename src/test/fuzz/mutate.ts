import fc from 'fast-check';

/**
 * Hostile inputs for the loaders' fuzz tests: valid seed files mutated the ways the issue-16
 * reproducers were made (a number replaced by NaN, 1e400, 0x10, 4294967299 or 1.5; an id by
 * __proto__; a path by /dev/zero; bytes flipped, inserted, duplicated, cut), plus random text.
 */
export const HOSTILE_TOKENS = [
  'nan',
  'NaN',
  '-nan',
  'inf',
  '-Infinity',
  'Infinity',
  '1e400',
  '-1e400',
  '1e-400',
  '0x10',
  '0b101',
  '0o7',
  '1_000',
  '4294967295',
  '4294967299',
  '2147483648',
  '65536',
  '-1',
  '-0',
  '0',
  '1.5',
  '1e9',
  '',
  ' ',
  '9'.repeat(30),
  '1'.repeat(400),
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '%',
  '%zz',
  '&#x110000;',
  '&#0;',
  '&foo;',
  '&',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '"',
  "'",
  '\\',
  '/dev/zero',
  '../../../etc/passwd',
  'file:///dev/zero',
  'data:,',
  'data:application/octet-stream;base64,AAAA',
  '[]',
  '{}',
  'null',
  'true',
  '<',
  '>',
  '</scene>',
  '<bsdf>',
  '\n',
  '\r',
  '#',
  ',',
] as const;

export const hostileToken = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_TOKENS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

type Op =
  | { kind: 'token'; at: number; token: string }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number; times: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'swapLines'; a: number; b: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('token' as const), at: fc.nat(), token: hostileToken }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.oneof(hostileToken, fc.string({ maxLength: 12 })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('duplicate' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 80 }),
      times: fc.integer({ min: 1, max: 50 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }) },
);

/** Split keeping separators, so that joining gives the text back; tokens are what lies between. */
const SEPARATORS = /(\s+|[,"'<>=[\]{}:/;])/;

function apply(text: string, o: Op): string {
  const n = Math.max(1, text.length);
  switch (o.kind) {
    case 'token': {
      const parts = text.split(SEPARATORS);
      const tokens = parts.map((p, i) => (i % 2 === 0 && p !== '' ? i : -1)).filter((i) => i >= 0);
      if (tokens.length === 0) return text + o.token;
      parts[tokens[o.at % tokens.length]!] = o.token;
      return parts.join('');
    }
    case 'insert': {
      const at = o.at % (text.length + 1);
      return text.slice(0, at) + o.text + text.slice(at);
    }
    case 'delete': {
      const at = o.at % n;
      return text.slice(0, at) + text.slice(at + o.length);
    }
    case 'duplicate': {
      const at = o.at % n;
      const piece = text.slice(at, at + o.length);
      return text.slice(0, at) + piece.repeat(o.times) + text.slice(at);
    }
    case 'truncate':
      return text.slice(0, o.at % n);
    case 'swapLines': {
      const lines = text.split('\n');
      const a = o.a % lines.length;
      const b = o.b % lines.length;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
  }
}

/** A seed text with 0–6 mutations. */
export const mutatedText = (seeds: readonly string[]) =>
  fc
    .tuple(fc.constantFrom(...seeds), fc.array(op, { maxLength: 6 }))
    .map(([seed, ops]) => ops.reduce(apply, seed));

type ByteOp =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'u32'; at: number; value: number };

const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      at: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ maxLength: 16 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 32 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('u32' as const),
      at: fc.nat(),
      value: fc.constantFrom(0, 1, 3, 0x7fffffff, 0xffffffff, 0x80000000, 65535, 4096, 12),
    }),
  },
);

function applyBytes(data: Uint8Array, o: ByteOp): Uint8Array {
  const n = Math.max(1, data.length);
  switch (o.kind) {
    case 'flip': {
      const out = data.slice();
      if (out.length > 0) out[o.at % n] = o.value;
      return out;
    }
    case 'insert': {
      const at = o.at % (data.length + 1);
      const out = new Uint8Array(data.length + o.bytes.length);
      out.set(data.subarray(0, at));
      out.set(o.bytes, at);
      out.set(data.subarray(at), at + o.bytes.length);
      return out;
    }
    case 'delete': {
      const at = o.at % n;
      const out = new Uint8Array(Math.max(0, data.length - Math.min(o.length, data.length - at)));
      out.set(data.subarray(0, at));
      out.set(data.subarray(at + o.length), at);
      return out;
    }
    case 'truncate':
      return data.slice(0, o.at % n);
    case 'u32': {
      const out = data.slice();
      if (out.length >= 4) {
        const at = (o.at % (out.length - 3)) & ~3;
        new DataView(out.buffer).setUint32(at, o.value, o.at % 2 === 0);
      }
      return out;
    }
  }
}

/** Seed bytes with 0–6 byte-level mutations (binary PLY, GLB, PNG). */
export const mutatedBytes = (seeds: readonly Uint8Array[]) =>
  fc
    .tuple(fc.constantFrom(...seeds), fc.array(byteOp, { maxLength: 6 }))
    .map(([seed, ops]) => ops.reduce(applyBytes, seed));
