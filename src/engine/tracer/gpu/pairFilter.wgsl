// Pass 1 of the image method on the GPU, for the (candidate, receiver) pairs listed by the host
// (those inside the candidate's beam and outside its shadows, candidateBeams.ts and
// beamShadows.ts): the register-only geometric tests (lastPointPossible, geometryStatus: every
// point in its face, sides right; no visibility). A pair whose geometry f32 finds certain and
// whose segments the host proved clear (no bit in its segment mask) is a path: appended to
// `accepted`. Other pairs that may be paths are appended to `survivors` for pass 2
// (imagePaths.wgsl). Two passes because SwiftShader pays for the private arrays of the full
// test at the start of every invocation, even one that exits early: one kernel doing both ran
// 5× slower than the filter alone.

// [0]: survivors, [1]: accepted
@group(0) @binding(7) var<storage, read_write> counter: array<atomic<u32>>;
// 3 per survivor: node, receiver, segment mask
@group(0) @binding(8) var<storage, read_write> survivors: array<u32>;
// 3 per pair: trie node, receiver, segment mask (bit k: segment k may be blocked). Node-major:
// consecutive lanes share the candidate (same faces, same branches) and test neighbouring
// receivers
@group(0) @binding(9) var<storage, read> work: array<u32>;
// (node, receiver) of the pairs accepted here
@group(0) @binding(10) var<storage, read_write> accepted: array<vec2u>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let idx = gid.y * groups.x * 64u + gid.x;
  if (idx >= params.pairCount) { return; }
  let node = work[3u * idx];
  let r = work[3u * idx + 1u];
  let mask = work[3u * idx + 2u];
  let rx = receivers[r].xyz;
  let depth = bitcast<u32>(candidates[2u * node + 1u].z);
  var status = VALID;
  if (depth > 0u) {
    if (!lastPointPossible(node, rx)) { return; }
    status = geometryStatus(node, rx);
  }
  // (a workgroup-level compaction with barriers was slower on SwiftShader, which runs
  // barriers as coroutine switches)
  if (status == REJECT) { return; }
  if (status == VALID && mask == 0u) {
    let slot = atomicAdd(&counter[1], 1u);
    if (slot < arrayLength(&accepted)) { accepted[slot] = vec2u(node, r); }
    return;
  }
  let slot = atomicAdd(&counter[0], 1u);
  if (3u * slot + 2u < arrayLength(&survivors)) {
    survivors[3u * slot] = node;
    survivors[3u * slot + 1u] = r;
    survivors[3u * slot + 2u] = mask;
  }
}
