// Node ESM loader hooks: `import text from './kernel.wgsl?raw'` gives the file's text as the
// default export, as Vite and Vitest do, so the CLI (tsx) loads the same .wgsl files.
import { readFile } from 'node:fs/promises';

export async function resolve(specifier, context, nextResolve) {
  if (specifier.endsWith('?raw')) {
    const base = await nextResolve(specifier.slice(0, -4), context);
    return { url: `${base.url}?raw`, format: 'module', shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url.endsWith('?raw')) {
    const text = await readFile(new URL(url.slice(0, -4)), 'utf8');
    return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
  }
  return nextLoad(url, context);
}
