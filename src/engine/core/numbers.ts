/**
 * The one number grammar of text inputs (XML attributes, OBJ/PLY tokens, CSV cells, CLI options):
 * a decimal with optional sign, fraction and exponent, as C's strtod reads it, and nothing else.
 * JavaScript's Number() also reads "0x10", "0b101", "0o7", "", " ", "Infinity" and "1e400"
 * (→ Infinity); a file that writes one of those is wrong, and silently reading it hides that.
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** A finite decimal number, or undefined when `text` is not one (hex, NaN, overflow …). */
export function parseDecimal(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

/** A safe integer written as decimal digits ("12", "-3"; not "1.0", "1e3" or "0x10"). */
export function parseInteger(text: string): number | undefined {
  if (!INTEGER.test(text)) return undefined;
  const v = Number(text);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** Why `text` is not a finite decimal, for error messages. */
export function numberProblem(text: string): string {
  const t = text.trim();
  if (t === '') return 'is empty; a number is required';
  if (/^[+-]?0[xXbBoO]/.test(t)) return `'${t}' is not a decimal number (hex, binary and octal are not read)`;
  if (/^[+-]?(nan|inf)/i.test(t)) return `'${t}' is not a finite number`;
  if (DECIMAL.test(t)) return `'${t}' is out of range (it overflows to infinity)`;
  return `'${t.length > 40 ? `${t.slice(0, 40)}…` : t}' is not a number`;
}

/** Why `text` is not a non-negative integer index. */
export function indexProblem(text: string): string {
  const t = text.trim();
  if (DECIMAL.test(t)) return `'${t}' is not an integer index`;
  return numberProblem(t);
}
