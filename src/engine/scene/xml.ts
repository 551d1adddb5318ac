import { InputError } from '../core/errors.ts';

/** A parsed XML element with the line it starts on (for error messages). */
export interface XmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  line: number;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(
        e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
      );
    return ENTITIES[e] ?? m;
  });

/**
 * A small, strict XML parser (elements, attributes, comments, declarations; text is ignored,
 * which is all Mitsuba scene files use). Errors name the file and line.
 */
export function parseXml(text: string, file: string): XmlElement {
  let i = 0;
  let line = 1;
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
      const attrs: Record<string, string> = {};
      const attrRe = /([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;
      const rest = inner.slice(m![0].length);
      for (const a of rest.matchAll(attrRe)) attrs[a[1]!] = decode(a[3] ?? a[4] ?? '');
      if (rest.replace(attrRe, '').trim() !== '') fail(`malformed attributes in <${tag}>`);
      const el: XmlElement = { tag, attrs, children: [], line: startLine };
      const parent = stack.at(-1);
      if (parent) parent.children.push(el);
      else if (root) fail(`second root element <${tag}>`);
      else root = el;
      if (!selfClosing) stack.push(el);
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
