/**
 * An input problem a person can act on: which file, which element (line, object, vertex),
 * and what was expected. `message` is one line: "file: element: problem".
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly element: string | undefined,
    readonly problem: string,
  ) {
    super(element ? `${file}: ${element}: ${problem}` : `${file}: ${problem}`);
    this.name = 'InputError';
  }
}
