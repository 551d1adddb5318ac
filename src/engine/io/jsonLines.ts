import { InputError } from '../core/errors.ts';

/**
 * A JSON value that remembers the line it starts on, so that validation errors in JSON
 * inputs can name a line like CSV errors do. Strict JSON (RFC 8259); NaN/Infinity rejected.
 */
export type LocatedJson =
  | { kind: 'null' | 'boolean' | 'number' | 'string'; value: null | boolean | number | string; line: number }
  | { kind: 'array'; items: LocatedJson[]; line: number }
  | { kind: 'object'; entries: Map<string, LocatedJson>; line: number };

export function parseLocatedJson(text: string, file: string): LocatedJson {
  let i = 0;
  let line = 1;
  const fail = (problem: string): never => {
    throw new InputError(file, `line ${line}`, problem);
  };
  const ws = () => {
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\uFEFF') break;
      i++;
    }
  };
  const value = (): LocatedJson => {
    ws();
    const start = line;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries = new Map<string, LocatedJson>();
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', entries, line: start };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a "key" in an object');
        const key = str();
        ws();
        if (text[i] !== ':') fail(`expected ':' after "${key}"`);
        i++;
        if (entries.has(key)) fail(`key "${key}" appears twice`);
        entries.set(key, value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return { kind: 'object', entries, line: start };
        } else fail("expected ',' or '}' in an object");
      }
    }
    if (c === '[') {
      i++;
      const items: LocatedJson[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', items, line: start };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return { kind: 'array', items, line: start };
        } else fail("expected ',' or ']' in an array");
      }
    }
    if (c === '"') return { kind: 'string', value: str(), line: start };
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (m) {
      i += m[0].length;
      return { kind: 'number', value: Number(m[0]), line: start };
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
    return JSON.parse(text.slice(start, i)) as string;
  };
  const root = value();
  ws();
  if (i < text.length) fail('unexpected text after the JSON value');
  return root;
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
