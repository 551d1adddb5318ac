import { InputError } from '../core/errors.ts';
import { idRecord } from '../core/idRecord.ts';
import { checkLimit, DEFAULT_LIMITS, type InputLimits } from '../core/limits.ts';

/** A parsed XML element with the line it starts on (for error messages). */
export interface XmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  line: number;
}

const ENTITIES: Record<string, string> = idRecord([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

/**
 * A small, strict XML parser (elements, attributes, comments, declarations; text is ignored,
 * which is all Mitsuba scene files use). Errors name the file and line. Iterative: nesting is
 * bounded by limits.depth, not by the call stack. Character references must name a Unicode
 * scalar value and entities must be XML's five.
 */
export function parseXml(text: string, file: string, limits: InputLimits = DEFAULT_LIMITS): XmlElement {
  let i = 0;
  let line = 1;
  const decode = (s: string) =>
    s.replace(/&([^;&\s]*);?/g, (m, e: string) => {
      if (!m.endsWith(';')) fail(`'&' must start an entity such as &amp; (got '${m.slice(0, 12)}')`);
      if (e[0] === '#') {
        const hex = e[1] === 'x' || e[1] === 'X';
        const digits = e.slice(hex ? 2 : 1);
        const ok = hex ? /^[0-9a-fA-F]{1,8}$/.test(digits) : /^\d{1,9}$/.test(digits);
        const cp = ok ? Number.parseInt(digits, hex ? 16 : 10) : -1;
        if (cp < 1 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
          fail(`character reference ${m} is not a Unicode character`);
        return String.fromCodePoint(cp);
      }
      const v = ENTITIES[e];
      if (v === undefined) fail(`unknown entity ${m} (XML has &lt; &gt; &amp; &quot; &apos;)`);
      return v!;
    });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const advance = (to: number) => {
    for (let k = i; k < to; k++) if (text.charCodeAt(k) === 10) line++;
    i = to;
  };
  const fail = (msg: string): never => {
    throw new InputError(file, `line ${line}`, msg);
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      advance(text.length);
      break;
    }
    advance(lt);
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) fail('unterminated comment');
      advance(end + 3);
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) fail('unterminated declaration');
      advance(end + 2);
    } else if (text.startsWith('<!', i)) {
      const end = text.indexOf('>', i);
      if (end < 0) fail('unterminated declaration');
      advance(end + 1);
    } else if (text.startsWith('</', i)) {
      const end = text.indexOf('>', i);
      if (end < 0) fail('unterminated closing tag');
      const tag = text.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open) fail(`closing tag </${tag}> without an opening tag`);
      if (open!.tag !== tag)
        fail(`closing tag </${tag}> does not match <${open!.tag}> opened on line ${open!.line}`);
      advance(end + 1);
    } else {
      const startLine = line;
      // find the end of the tag, skipping quoted attribute values
      let k = i + 1;
      let quote = '';
      while (k < text.length) {
        const ch = text[k]!;
        if (quote) {
          if (ch === quote) quote = '';
        } else if (ch === '"' || ch === "'") quote = ch;
        else if (ch === '>') break;
        k++;
      }
      if (k >= text.length) fail('unterminated tag');
      const body = text.slice(i + 1, k);
      const selfClosing = body.endsWith('/');
      const inner = selfClosing ? body.slice(0, -1) : body;
      const m = /^\s*([A-Za-z_][\w.:-]*)/.exec(inner);
      if (!m) fail(`malformed tag '<${body.slice(0, 30)}'`);
      const tag = m![1]!;
      const attrs = idRecord<string>();
      const attrRe = /([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;
      const rest = inner.slice(m![0].length);
      for (const a of rest.matchAll(attrRe)) {
        if (Object.hasOwn(attrs, a[1]!)) fail(`attribute '${a[1]}' appears twice in <${tag}>`);
        attrs[a[1]!] = decode(a[3] ?? a[4] ?? '');
      }
      if (rest.replace(attrRe, '').trim() !== '') fail(`malformed attributes in <${tag}>`);
      const el: XmlElement = { tag, attrs, children: [], line: startLine };
      const parent = stack.at(-1);
      if (parent) parent.children.push(el);
      else if (root) fail(`second root element <${tag}>`);
      else root = el;
      if (!selfClosing) {
        checkLimit(
          limits,
          'depth',
          stack.length + 1,
          file,
          `line ${startLine}`,
          `elements nest deeper than ${stack.length}`,
        );
        stack.push(el);
      }
      advance(k + 1);
    }
  }
  if (stack.length > 0) {
    const open = stack.at(-1)!;
    throw new InputError(file, `line ${open.line}`, `<${open.tag}> is never closed (file truncated?)`);
  }
  if (!root) throw new InputError(file, 'line 1', 'no XML element found');
  return root;
}
