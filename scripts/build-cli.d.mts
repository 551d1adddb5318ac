/** Types of scripts/build-cli.mjs (a plain-JavaScript script: it runs before any TypeScript tooling). */
export const CLI_DIR: string;
export const CLI_CURRENT: string;
export function currentBuild(pointer?: string): string | undefined;
export function buildCli(): Promise<string>;
