import { InputError } from '../core/errors.ts';
import { forEachLine } from '../core/lines.ts';
import type { Vec3 } from '../core/vec3.ts';
import { ITU_MATERIAL_NAMES } from '../materials/itu.ts';
import { type ActorShape, type ActorSpec, HUMAN_PROXY, type Motion, type Pose } from './actors.ts';

/**
 * Trajectories: time-stamped poses, interpolated linearly (position, and yaw the short way round),
 * held at the first pose before the first sample and at the last after the last one.
 */
export interface Track {
  /** strictly increasing sample times (s) */
  t: number[];
  position: Vec3[];
  /** radians, unwrapped (consecutive samples differ by at most π) */
  yaw: number[];
  /** the file line of each sample, when read from a file */
  lines?: number[];
}

const binarySegment = (t: readonly number[], x: number): number => {
  let lo = 0;
  let hi = t.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! <= x) lo = mid;
    else hi = mid;
  }
  return lo;
};

/** The pose at time t. */
export function poseAt(track: Track, t: number): Pose {
  const n = track.t.length;
  if (n === 1 || t <= track.t[0]!) return { position: [...track.position[0]!], yaw: track.yaw[0]! };
  if (t >= track.t[n - 1]!) return { position: [...track.position[n - 1]!], yaw: track.yaw[n - 1]! };
  const k = binarySegment(track.t, t);
  const u = (t - track.t[k]!) / (track.t[k + 1]! - track.t[k]!);
  const a = track.position[k]!;
  const b = track.position[k + 1]!;
  return {
    position: [a[0] + u * (b[0] - a[0]), a[1] + u * (b[1] - a[1]), a[2] + u * (b[2] - a[2])],
    yaw: track.yaw[k]! + u * (track.yaw[k + 1]! - track.yaw[k]!),
  };
}

/** The velocity at time t: the slope of the segment holding t (right derivative); zero outside the samples. */
export function motionAt(track: Track, t: number): Motion {
  const n = track.t.length;
  if (n === 1 || t < track.t[0]! || t >= track.t[n - 1]!) return { velocity: [0, 0, 0], yawRate: 0 };
  const k = binarySegment(track.t, t);
  const dt = track.t[k + 1]! - track.t[k]!;
  const a = track.position[k]!;
  const b = track.position[k + 1]!;
  return {
    velocity: [(b[0] - a[0]) / dt, (b[1] - a[1]) / dt, (b[2] - a[2]) / dt],
    yawRate: (track.yaw[k + 1]! - track.yaw[k]!) / dt,
  };
}

/** Samples along waypoints walked at a constant speed from time `start`; yaw = heading of travel. */
export function waypointTrack(waypoints: readonly Vec3[], speed: number, start = 0): Track {
  const t = [start];
  for (let i = 1; i < waypoints.length; i++) {
    const a = waypoints[i - 1]!;
    const b = waypoints[i]!;
    t.push(t[i - 1]! + Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]) / speed);
  }
  return fillYaw({ t, position: waypoints.map((p) => [...p] as Vec3), yaw: [] }, []);
}

/** Yaw where a sample gives none: the heading of travel (outgoing segment; the last: incoming). */
function fillYaw(track: Track, given: (number | undefined)[]): Track {
  const n = track.t.length;
  const heading = (i: number): number => {
    const [a, b] =
      i + 1 < n ? [track.position[i]!, track.position[i + 1]!] : [track.position[i - 1], track.position[i]!];
    if (!a) return 0;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    return dx === 0 && dy === 0 ? 0 : Math.atan2(dy, dx);
  };
  const yaw: number[] = [];
  for (let i = 0; i < n; i++) {
    let y = given[i] ?? heading(i);
    if (i > 0) {
      // unwrap: the short way round from the previous sample
      const prev = yaw[i - 1]!;
      y = prev + (((((y - prev) % (2 * Math.PI)) + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
    }
    yaw.push(y);
  }
  return { ...track, yaw };
}

/** Ids of the devices a trajectory file may move. */
export const DEVICE_IDS = ['tx', 'rx'] as const;
export type DeviceId = (typeof DEVICE_IDS)[number];

/** An actors file: the actors it declares, their tracks, and the devices' tracks. */
export interface ActorsFile {
  actors: ActorSpec[];
  /** per actor id (every declared actor has one) */
  tracks: Map<string, Track>;
  devices: Partial<Record<DeviceId, Track>>;
  /** line of each actor's declaration (for warnings) */
  declaredAt: Map<string, number>;
  /** first and last sample time over every track */
  span: [number, number];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObject = (v: Json): v is { [k: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parse an actors file (JSON lines; README "Actors and timelines"):
 *   {"actor": "p1", "kind": "human" | "box" | "mesh", …}          declares an actor
 *   {"t": 0.0, "id": "p1", "position": [x, y, z], "yaw": deg}     a sample of its trajectory
 * A declaration may carry `waypoints` and `speed` instead of samples; ids `tx` and `rx` move the
 * devices. Blank lines and lines starting with # are skipped. Every problem is an InputError
 * naming the file and line: bad JSON (NaN is not JSON), a missing or non-finite field, time not
 * strictly increasing for an id, an id never declared, an actor without any pose. Mesh actors
 * name a file; `loadMesh` reads it (the caller's file access).
 */
export function parseActorsFile(
  data: string | Uint8Array,
  file: string,
  loadMesh?: (path: string, line: number) => { vertices: number[]; indices: number[]; file: string },
): ActorsFile {
  const actors: ActorSpec[] = [];
  const declaredAt = new Map<string, number>();
  const samples = new Map<
    string,
    { t: number[]; position: Vec3[]; yaw: (number | undefined)[]; lines: number[] }
  >();
  const waypointTracks = new Map<string, Track>();
  forEachLine(typeof data === 'string' ? new TextEncoder().encode(data) : data, file, (raw, line) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const fail = (problem: string): never => {
      throw new InputError(file, `line ${line}`, problem);
    };
    let v: Json;
    try {
      v = JSON.parse(text) as Json;
    } catch {
      return fail(`not valid JSON (NaN and Infinity are not JSON numbers): '${text.slice(0, 60)}'`);
    }
    if (!isObject(v)) return fail('expected a JSON object per line');
    const num = (key: string, fallback?: number, positive = false): number => {
      const x = v[key];
      if (x === undefined && fallback !== undefined) return fallback;
      if (typeof x !== 'number' || !Number.isFinite(x)) return fail(`'${key}' must be a finite number`);
      if (positive && !(x > 0)) return fail(`'${key}' must be positive, got ${x}`);
      return x;
    };
    const point = (x: Json | undefined, what: string): Vec3 => {
      if (!Array.isArray(x) || x.length !== 3 || !x.every((c) => typeof c === 'number' && Number.isFinite(c)))
        return fail(`${what} must be [x, y, z], three finite numbers in metres`);
      return x as Vec3;
    };
    if ('actor' in v) {
      const id = v.actor;
      if (typeof id !== 'string' || id === '') return fail("'actor' must be a non-empty id");
      if ((DEVICE_IDS as readonly string[]).includes(id))
        return fail(`'${id}' is a device id; actors need another`);
      if (declaredAt.has(id)) return fail(`actor '${id}' already declared on line ${declaredAt.get(id)}`);
      const kind = v.kind ?? 'human';
      let shape: ActorShape;
      if (kind === 'human') {
        shape = {
          kind: 'human',
          width: num('width', HUMAN_PROXY.width, true),
          depth: num('depth', HUMAN_PROXY.depth, true),
          height: num('height', HUMAN_PROXY.height, true),
        };
      } else if (kind === 'box') {
        const size = point(v.size, "'size' ([length, width, height])");
        if (!size.every((c) => c > 0)) return fail("'size' must be three positive lengths");
        shape = { kind: 'box', length: size[0], width: size[1], height: size[2] };
      } else if (kind === 'mesh') {
        if (typeof v.file !== 'string') return fail("a mesh actor needs 'file' (a scene or mesh file)");
        if (!loadMesh) return fail('mesh actors need a file to be read; none can be read here');
        shape = { kind: 'mesh', ...loadMesh(v.file, line) };
      } else return fail(`'kind' must be human, box or mesh, got ${JSON.stringify(kind)}`);
      let material: ActorSpec['material'];
      const m = v.material ?? (kind === 'human' ? 'skin' : 'metal');
      if (m === 'skin') material = { kind: 'skin' };
      else if (m === 'absorber') material = { kind: 'absorber' };
      else if (typeof m === 'string' && ITU_MATERIAL_NAMES.includes(m))
        material = { kind: 'itu', name: m, thickness: num('thickness', 0.1, true) };
      else
        return fail(
          `'material' must be skin, absorber or an ITU material (${ITU_MATERIAL_NAMES.join(', ')})`,
        );
      actors.push({ id, shape, material });
      declaredAt.set(id, line);
      if (v.waypoints !== undefined) {
        if (!Array.isArray(v.waypoints) || v.waypoints.length < 1)
          return fail("'waypoints' must be a list of [x, y, z] points");
        const pts = v.waypoints.map((p, i) => point(p, `waypoint ${i}`));
        waypointTracks.set(id, waypointTrack(pts, num('speed', undefined, true), num('start', 0)));
      }
      return;
    }
    const id = v.id;
    if (typeof id !== 'string') return fail("expected 'actor' (a declaration) or 'id' (a sample)");
    const t = num('t');
    const position = point(v.position, "'position'");
    const yawDeg = v.yaw === undefined ? undefined : num('yaw');
    if (!(DEVICE_IDS as readonly string[]).includes(id) && !declaredAt.has(id))
      return fail(
        `unknown id '${id}': declare it first ({"actor": "${id}", "kind": "human"}) or use tx / rx`,
      );
    if (waypointTracks.has(id)) return fail(`actor '${id}' follows waypoints; it cannot also have samples`);
    let s = samples.get(id);
    if (!s) {
      s = { t: [], position: [], yaw: [], lines: [] };
      samples.set(id, s);
    }
    const last = s.t[s.t.length - 1];
    if (last !== undefined && !(t > last))
      return fail(
        `time ${t} s of '${id}' does not increase (line ${s.lines[s.lines.length - 1]} has ${last} s)`,
      );
    s.t.push(t);
    s.position.push(position);
    s.yaw.push(yawDeg === undefined ? undefined : (yawDeg * Math.PI) / 180);
    s.lines.push(line);
  });
  const tracks = new Map<string, Track>();
  const devices: Partial<Record<DeviceId, Track>> = {};
  for (const [id, s] of samples) {
    const track = fillYaw({ t: s.t, position: s.position, yaw: [], lines: s.lines }, s.yaw);
    if ((DEVICE_IDS as readonly string[]).includes(id)) devices[id as DeviceId] = track;
    else tracks.set(id, track);
  }
  for (const [id, track] of waypointTracks) tracks.set(id, track);
  for (const a of actors) {
    if (!tracks.has(a.id))
      throw new InputError(
        file,
        `line ${declaredAt.get(a.id)}`,
        `actor '${a.id}' has no samples and no waypoints`,
      );
  }
  const all = [...tracks.values(), ...Object.values(devices)];
  if (all.length === 0)
    throw new InputError(file, 'line 1', 'no actors and no device samples: nothing moves');
  const span: [number, number] = [
    Math.min(...all.map((k) => k.t[0]!)),
    Math.max(...all.map((k) => k.t[k.t.length - 1]!)),
  ];
  return { actors, tracks, devices, declaredAt, span };
}
