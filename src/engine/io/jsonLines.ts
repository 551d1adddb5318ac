import { InputError } from '../core/errors.ts';
import { checkLimit, DEFAULT_LIMITS, type InputLimits } from '../core/limits.ts';
import { decodeText } from '../core/lines.ts';

/**
 * A JSON value that remembers the line it starts on, so that validation errors in JSON
 * inputs can name a line like CSV errors do. Strict JSON (RFC 8259); NaN/Infinity rejected.
 */
export type LocatedJson =
  | { kind: 'null' | 'boolean' | 'number' | 'string'; value: null | boolean | number | string; line: number }
  | { kind: 'array'; items: LocatedJson[]; line: number }
  | { kind: 'object'; entries: Map<string, LocatedJson>; line: number };

/**
 * Parse strict JSON keeping each value's line. Iterative (an explicit stack), so nesting is
 * bounded by `limits.depth` rather than by the call stack; numbers must be finite (1e400 is an
 * error, not Infinity); arrays hold at most `limits.rows` items.
 */
export function parseLocatedJson(
  input: string | Uint8Array,
  file: string,
  limits: InputLimits = DEFAULT_LIMITS,
): LocatedJson {
  const text = typeof input === 'string' ? input : decodeText(input, file);
  let i = 0;
  let line = 1;
  const fail = (problem: string): never => {
    throw new InputError(file, `line ${line}`, problem);
  };
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) break;
      i++;
    }
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      if (text[i] === '\n') fail('unterminated string');
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail(
        `bad string ${text.slice(start, Math.min(i, start + 40))} (an invalid escape or control character)`,
      );
    }
  };
  /** A scalar at i, or undefined when a container starts there. */
  const scalar = (): LocatedJson | undefined => {
    const start = line;
    const c = text[i];
    if (c === '{' || c === '[') return undefined;
    if (c === '"') return { kind: 'string', value: str(), line: start };
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m) {
      const v = Number(m[0]);
      if (!Number.isFinite(v)) fail(`number ${m[0].slice(0, 40)} is out of range (it overflows to infinity)`);
      i += m[0].length;
      return { kind: 'number', value: v, line: start };
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return { kind: v === null ? 'null' : 'boolean', value: v, line: start };
      }
    }
    const token = text.slice(i, i + 12).split(/[\s,\]}]/)[0];
    return fail(
      i >= text.length
        ? 'unexpected end of file'
        : `unexpected '${token}' (JSON allows numbers, strings, true, false, null; not NaN or Infinity)`,
    );
  };
  type Open =
    | {
        value: { kind: 'object'; entries: Map<string, LocatedJson>; line: number };
        key?: string;
        fresh: boolean;
      }
    | { value: { kind: 'array'; items: LocatedJson[]; line: number }; key?: undefined; fresh: boolean };
  const stack: Open[] = [];
  let root: LocatedJson | undefined;
  /** Put a finished value into the innermost open container (or make it the root). */
  const place = (v: LocatedJson) => {
    const top = stack.at(-1);
    if (!top) root = v;
    else if (top.value.kind === 'array') {
      top.value.items.push(v);
      checkLimit(limits, 'rows', top.value.items.length, file, `line ${top.value.line}`, 'array is too long');
    } else top.value.entries.set(top.key!, v);
  };
  /** Read a value: a scalar is placed, a container is opened on the stack for the loop to fill. */
  const begin = () => {
    ws();
    const start = line;
    const c = text[i];
    if (c !== '{' && c !== '[') {
      place(scalar()!);
      return;
    }
    i++;
    checkLimit(
      limits,
      'depth',
      stack.length + 1,
      file,
      `line ${start}`,
      `values nest deeper than ${stack.length}`,
    );
    ws();
    if (text[i] === (c === '{' ? '}' : ']')) {
      i++;
      place(
        c === '{'
          ? { kind: 'object', entries: new Map(), line: start }
          : { kind: 'array', items: [], line: start },
      );
      return;
    }
    stack.push(
      c === '{'
        ? { value: { kind: 'object', entries: new Map(), line: start }, fresh: true }
        : { value: { kind: 'array', items: [], line: start }, fresh: true },
    );
  };
  const readKey = (open: Open) => {
    ws();
    if (text[i] !== '"') fail('expected a "key" in an object');
    const k = str();
    ws();
    if (text[i] !== ':') fail(`expected ':' after "${k}"`);
    i++;
    if (open.value.kind === 'object' && open.value.entries.has(k)) fail(`key "${k}" appears twice`);
    open.key = k;
  };
  begin();
  while (stack.length > 0) {
    const top = stack.at(-1)!;
    ws();
    if (top.fresh) {
      top.fresh = false;
      if (top.value.kind === 'object') readKey(top);
      begin();
      continue;
    }
    const close = top.value.kind === 'object' ? '}' : ']';
    if (text[i] === ',') {
      i++;
      if (top.value.kind === 'object') readKey(top);
      begin();
    } else if (text[i] === close) {
      i++;
      stack.pop();
      place(top.value);
    } else
      fail(
        top.value.kind === 'object' ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array",
      );
  }
  ws();
  if (i < text.length) fail('unexpected text after the JSON value');
  return root!;
}

/** Field access helpers that name file, line and key in their errors. */
export function getField(obj: LocatedJson, key: string): LocatedJson | undefined {
  return obj.kind === 'object' ? obj.entries.get(key) : undefined;
}

export function expectNumber(
  v: LocatedJson | undefined,
  file: string,
  what: string,
  parentLine: number,
): number {
  if (!v) throw new InputError(file, `line ${parentLine}`, `missing ${what} (a number)`);
  if (v.kind !== 'number') throw new InputError(file, `line ${v.line}`, `${what} must be a number`);
  return v.value as number;
}

export function expectPoint(
  v: LocatedJson | undefined,
  file: string,
  what: string,
  parentLine: number,
): [number, number, number] {
  if (!v) throw new InputError(file, `line ${parentLine}`, `missing ${what} ([x, y, z] in metres)`);
  if (v.kind !== 'array' || v.items.length !== 3 || v.items.some((x) => x.kind !== 'number')) {
    throw new InputError(file, `line ${v.line}`, `${what} must be [x, y, z] in metres`);
  }
  return v.items.map((x) => (x as { value: number }).value) as [number, number, number];
}
