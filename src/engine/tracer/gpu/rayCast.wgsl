// Closest hit for N rays: rays[2i] = (origin, tMin), rays[2i+1] = (unit direction, tMax);
// hits[i] = (t, bitcast scene triangle) with t = NO_HIT on a miss.

struct RayCastParams { count: u32 }

@group(0) @binding(4) var<uniform> params: RayCastParams;
@group(0) @binding(5) var<storage, read> rays: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> hits: array<vec2f>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.y * groups.x * 64u + gid.x;
  if (i >= params.count) { return; }
  let o = rays[2u * i];
  let d = rays[2u * i + 1u];
  hits[i] = closestHit(o.xyz, d.xyz, o.w, d.w);
}
