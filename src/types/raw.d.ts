// `import text from './kernel.wgsl?raw'`: a file's text as a string. Vite and Vitest do this
// natively; the CLI through bin/wgsl-raw-loader.mjs.
declare module '*?raw' {
  const text: string;
  export default text;
}
