import { zipSync, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { InputError } from './errors.ts';
import { inflateCapped } from './inflate.ts';
import { checkLimit, DEFAULT_LIMITS, withDefaultLimits } from './limits.ts';
import { forEachLine } from './lines.ts';
import { numberProblem, parseDecimal, parseInteger } from './numbers.ts';
import { unzipCapped } from './zip.ts';

describe('the number grammar of text inputs', () => {
  it('reads decimals as strtod does and nothing else', () => {
    for (const [text, v] of [
      ['1', 1],
      ['-2.5', -2.5],
      ['+.5', 0.5],
      ['3.', 3],
      ['1e3', 1000],
      ['-1.25E-2', -0.0125],
      ['0', 0],
    ] as const)
      expect(parseDecimal(text)).toBe(v);
    for (const text of [
      '0x10',
      '0b101',
      '0o7',
      'nan',
      'NaN',
      'inf',
      'Infinity',
      '1e400',
      '-1e400',
      '',
      ' 1',
      '1_000',
      '1,5',
      '--1',
      '.',
      'e3',
      '1e',
    ])
      expect(parseDecimal(text), text).toBeUndefined();
  });

  it('integers are digits only, and safe', () => {
    expect(parseInteger('42')).toBe(42);
    expect(parseInteger('-3')).toBe(-3);
    for (const text of ['1.5', '1e3', '0x10', 'nan', '9007199254740993', ''])
      expect(parseInteger(text), text).toBeUndefined();
  });

  it('says why a token is not a number', () => {
    expect(numberProblem('0x10')).toMatch(/not a decimal number \(hex, binary and octal/);
    expect(numberProblem('1e400')).toMatch(/out of range/);
    expect(numberProblem('nan')).toMatch(/not a finite number/);
    expect(numberProblem('')).toMatch(/empty/);
  });
});

describe('limits', () => {
  it('an exceeded limit names itself and the flag that raises it', () => {
    const limits = withDefaultLimits({ vertices: 10 });
    expect(() => checkLimit(limits, 'vertices', 10, 'a.ply', 'header', 'declares 10 vertices')).not.toThrow();
    expect(() => checkLimit(limits, 'vertices', 11, 'a.ply', 'header', 'declares 11 vertices')).toThrow(
      'a.ply: header: declares 11 vertices: the limit is 10; raise it with --limit vertices=N',
    );
  });

  it('the defaults fit a soup of 10⁷ triangles', () => {
    expect(DEFAULT_LIMITS.faces).toBeGreaterThanOrEqual(1e7);
    expect(DEFAULT_LIMITS.vertices).toBeGreaterThanOrEqual(3e7);
  });
});

describe('InputError', () => {
  it('is one line whatever the quoted input holds', () => {
    const e = new InputError('a\nb.xml', 'line 3', "value 'x\r\ny' is bad");
    expect(e.message).toBe("a b.xml: line 3: value 'x y' is bad");
  });
});

describe('forEachLine', () => {
  it('gives every line with its number across 1 MiB chunks, CRLF or LF, with or without a last newline', () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}`);
    for (const eol of ['\n', '\r\n'])
      for (const last of ['', eol]) {
        const got: string[] = [];
        const numbers: number[] = [];
        forEachLine(new TextEncoder().encode(lines.join(eol) + last), 'f', (l, n) => {
          got.push(l);
          numbers.push(n);
        });
        expect(got).toEqual(lines);
        expect(numbers.at(-1)).toBe(lines.length);
      }
  });

  it('keeps multi-byte characters whole at chunk edges and stops when asked', () => {
    const line = 'é'.repeat(300_000); // 600,000 bytes a line: chunks end inside lines
    const got: string[] = [];
    forEachLine(new TextEncoder().encode(`${line}\n${line}\n${line}\n`), 'f', (l) => {
      got.push(l);
      return got.length < 2;
    });
    expect(got).toEqual([line, line]);
  });
});

describe('capped inflation', () => {
  it('inflates what fits and stops a bomb after at most the cap plus one push', () => {
    const data = new Uint8Array(5_000_000).fill(7);
    const z = zlibSync(data, { level: 9 });
    const out = inflateCapped(z, data.length, 'a.png', 'IDAT');
    expect(out.length).toBe(data.length);
    expect(out.every((b) => b === 7)).toBe(true);
    expect(() => inflateCapped(z, 100_000, 'a.png', 'IDAT')).toThrow(
      /a\.png: IDAT: inflates to more than 100,000 bytes/,
    );
  });

  it('corrupt data is an InputError', () => {
    const z = zlibSync(new Uint8Array(1000).fill(1));
    z[2] = 0b111; // the first block: final, type 3 (reserved, invalid)
    expect(() => inflateCapped(z, 10_000, 'a.png', 'IDAT')).toThrow(InputError);
  });
});

describe('zip archives', () => {
  const text = (s: string) => new TextEncoder().encode(s);

  it('reads stored and deflated entries, skips folders', () => {
    const zip = zipSync({
      'a/b.xml': text('<scene/>'),
      'c.txt': [text('stored'), { level: 0 }],
      'd/': new Uint8Array(0),
    });
    const entries = unzipCapped(zip, 't.zip');
    expect(entries.map((e) => [e.path, new TextDecoder().decode(e.data)])).toEqual([
      ['a/b.xml', '<scene/>'],
      ['c.txt', 'stored'],
    ]);
  });

  it('refuses a bomb: entries beyond the decompressed limit, or beyond their declared size', () => {
    const zip = zipSync({ big: new Uint8Array(2_000_000) });
    expect(() => unzipCapped(zip, 't.zip', withDefaultLimits({ decompressedBytes: 1_000_000 }))).toThrow(
      /t\.zip: entry 0 \(big\): the entries inflate to more than 1,000,000 bytes/,
    );
    // the central directory lies: says 1,000 bytes
    const lying = zip.slice();
    const view = new DataView(lying.buffer);
    for (let o = lying.length - 22; o >= 0; o--)
      if (view.getUint32(o, true) === 0x02014b50) {
        view.setUint32(o + 24, 1000, true);
        break;
      }
    expect(() => unzipCapped(lying, 't.zip')).toThrow(
      /entry 0 \(big\): inflates to more than 1,000 bytes \(its declared size\)/,
    );
  });

  it('not a zip', () => {
    expect(() => unzipCapped(text('hello'), 't.zip')).toThrow('t.zip: end of archive: not a zip archive');
  });
});
