// Lines that WebGPU's native libraries (Dawn, the Vulkan loader, SwiftShader) write straight to
// the process's stderr while an adapter starts: not the person's business unless --verbose.
const DROP = [
  /^error: XDG_RUNTIME_DIR\b/,
  /^(?:error|warning): XDG_RUNTIME_DIR\b/i,
  /^MESA-LOADER: /,
  // a native stack frame: "    at InitializeImpl (…/PhysicalDeviceVk.cpp:257)"
  /^\s+at \S+ \([^()]*\.(?:cpp|cc|cxx|c|h|hpp|mm):\d+\)\s*$/,
];
/** First line of a Dawn warning block; its " - While …" and "at …" lines and a blank line follow. */
const BLOCK_START = /^Warning: (?:Vulkan|Dawn|D3D1[12]|Metal|OpenGL|GL|Adapter|Backend)\b/;
const BLOCK_CONTINUES = /^(?: - While |\s+at \S+ \(|\s*$)/;

/**
 * A filter for the child's stderr: feed it chunks, it writes every line except native chatter,
 * passing lines ended by '\r' (progress that rewrites itself) through at once.
 */
export function createChatterFilter(write) {
  let pending = '';
  let inBlock = false;
  const line = (text, end) => {
    if (BLOCK_START.test(text)) {
      inBlock = true;
      return;
    }
    if (inBlock) {
      if (BLOCK_CONTINUES.test(text)) {
        if (text.trim() === '') inBlock = false; // the blank line that closes the block
        return;
      }
      inBlock = false;
    }
    if (DROP.some((re) => re.test(text))) return;
    write(text + end);
  };
  return {
    push(chunk) {
      pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      let m = /[\r\n]/.exec(pending);
      while (m) {
        let end = m[0];
        let next = m.index + 1;
        if (end === '\r' && pending[next] === '\n') {
          end = '\r\n';
          next++;
        }
        line(pending.slice(0, m.index), end);
        pending = pending.slice(next);
        m = /[\r\n]/.exec(pending);
      }
    },
    end() {
      if (pending !== '') line(pending, '');
      pending = '';
    },
  };
}
