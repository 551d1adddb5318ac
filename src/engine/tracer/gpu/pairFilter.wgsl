// Pass 1 of the image method on the GPU: the register-only geometric tests (lastPointPossible,
// then geometryPossible: every point in its face, sides right; no visibility) for
// every (candidate, receiver) pair of a dispatch; the pairs that pass are appended to
// `survivors` for pass 2 (imagePaths.wgsl). Two passes because SwiftShader pays for the
// private arrays of the full test at the start of every invocation, even one that exits early:
// one kernel doing both ran 5× slower than the filter alone.

@group(0) @binding(7) var<storage, read_write> counter: array<atomic<u32>>;
@group(0) @binding(8) var<storage, read_write> survivors: array<vec2u>;
// grid mode: per entry (trie node, ix0 | iy0 << 16, width, height): the node is tested for a
// block of at most 8 × 8 cells its last face can reach (culled on the host); one workgroup
// per entry, one lane per cell, so there is no search for the entry of a lane
@group(0) @binding(9) var<storage, read> work: array<vec4u>;

@compute @workgroup_size(64)
fn main(
  @builtin(global_invocation_id) gid: vec3u,
  @builtin(local_invocation_index) lane: u32,
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
) {
  var keep = false;
  var node = 0u;
  var r = 0u;
  if (params.gridMode == 0u) {
    let idx = gid.y * groups.x * 64u + gid.x;
    if (idx < params.nodeCount * params.rxCount) {
      // consecutive lanes share the candidate (same faces, same branches) and vary the receiver
      node = params.nodeOffset + idx / params.rxCount;
      r = idx % params.rxCount;
      keep = true;
    }
  } else {
    let entry = wid.y * groups.x + wid.x;
    if (entry < params.workCount) {
      let w = work[entry];
      let h = w.w;
      if (lane < w.z * h) {
        node = w.x;
        let ix = (w.y & 0xffffu) + lane % w.z;
        let iy = (w.y >> 16u) + lane / w.z;
        r = iy * params.gridNx + ix;
        keep = true;
      }
    }
  }
  if (keep) {
    let depth = bitcast<u32>(candidates[2u * node + 1u].z);
    keep = depth == 0u || (lastPointPossible(node, receivers[r].xyz) && geometryPossible(node, receivers[r].xyz));
  }
  // (a workgroup-level compaction with barriers was slower on SwiftShader, which runs
  // barriers as coroutine switches)
  if (!keep) { return; }
  let slot = atomicAdd(&counter[0], 1u);
  if (slot < arrayLength(&survivors)) { survivors[slot] = vec2u(node, r); }
}
