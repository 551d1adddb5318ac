/**
 * A 64-bit fingerprint (16 hex digits) of byte strings: two FNV-1a 32-bit hashes with different
 * offsets and mixing. Tells parts of one job from parts of another (scene, receivers); not
 * cryptographic.
 */
export function fingerprint(chunks: readonly ArrayBufferView[]): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (const v of chunks) {
    const u = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    for (let i = 0; i < u.length; i++) {
      a = Math.imul(a ^ u[i]!, 0x01000193);
      b = Math.imul(b ^ u[i]!, 0x01000193) ^ (b >>> 15);
    }
  }
  const hex = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
  return `${hex(a)}${hex(b)}`;
}
