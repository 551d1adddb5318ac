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
