/** Types of native-chatter.mjs (the CLI entry's stderr filter), for the tests. */
export function createChatterFilter(write: (text: string) => void): {
  push(chunk: string | Uint8Array): void;
  end(): void;
};
