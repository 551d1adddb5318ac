/** Line breaks in quoted input (an attribute value, a token) would break the one-line rule. */
const oneLine = (s: string) => s.replace(/[\r\n\u2028\u2029]+/g, ' ');

/**
 * An input problem a person can act on: which file, which element (line, object, vertex),
 * and what was expected. `message` is one line: "file: element: problem".
 */
export class InputError extends Error {
  readonly file: string;
  readonly element: string | undefined;
  readonly problem: string;
  constructor(file: string, element: string | undefined, problem: string) {
    const [f, e, p] = [oneLine(file), element === undefined ? undefined : oneLine(element), oneLine(problem)];
    super(e ? `${f}: ${e}: ${p}` : `${f}: ${p}`);
    this.name = 'InputError';
    this.file = f;
    this.element = e;
    this.problem = p;
  }
}

/**
 * A file that cannot be read at all: missing, not a regular file (a folder, FIFO or device),
 * larger than the limit, outside the folder it may be read from. The loader that asked for it
 * turns it into an error naming the file and element that referenced it.
 */
export class FileAccessError extends InputError {
  constructor(file: string, problem: string) {
    super(file, undefined, problem);
    this.name = 'InputError';
  }
}

/**
 * JSON.parse with the project's error: an InputError naming the file and the line of the
 * syntax error, in one line (V8's own message quotes the text around it, newlines included).
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    let line = 1;
    if (at) for (let i = 0; i < Number(at[1]) && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    const problem = message.replace(/\s+/g, ' ').replace(/ \(line \d+ column \d+\)/, '');
    throw new InputError(
      file,
      at ? `line ${line}` : 'JSON',
      `not valid JSON (${problem.length > 160 ? `${problem.slice(0, 160)}…` : problem})`,
    );
  }
}
