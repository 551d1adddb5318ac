/**
 * What the engine may ask about its host without touching host globals: whether it runs in Node
 * (CLIP picks onnxruntime-node's CPU device there). Everything else a host offers (files, WebGPU,
 * image decoding) is passed in by the host.
 */
export function isNodeRuntime(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}
