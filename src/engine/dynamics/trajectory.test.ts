import { describe, expect, it } from 'vitest';
import { channelSettings } from '../channel/settings.ts';
import { InputError } from '../core/errors.ts';
import { cuboid, sceneFromMeshes } from '../tracer/cpu/testScenes.ts';
import { timeline } from './timeline.ts';
import { motionAt, parseActorsFile, poseAt, waypointTrack } from './trajectory.ts';

const FILE = 'walk.jsonl';

function problem(text: string): InputError {
  try {
    parseActorsFile(text, FILE);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('actors files (acceptance 6: bad input names the file and line)', () => {
  const head = '{"actor": "p1", "kind": "human"}\n';
  it('time that does not increase', () => {
    const e = problem(
      `${head}{"t": 0, "id": "p1", "position": [0, 0, 0]}\n{"t": 1, "id": "p1", "position": [1, 0, 0]}\n{"t": 1, "id": "p1", "position": [2, 0, 0]}\n`,
    );
    expect(e.message).toMatch(/^walk\.jsonl: line 4: time 1 s of 'p1' does not increase \(line 3 has 1 s\)$/);
  });
  it('NaN positions (not JSON) and non-numbers', () => {
    expect(problem(`${head}{"t": 0, "id": "p1", "position": [NaN, 0, 0]}\n`).message).toMatch(
      /^walk\.jsonl: line 2: not valid JSON/,
    );
    expect(problem(`${head}{"t": 0, "id": "p1", "position": [0, "a", 0]}\n`).message).toMatch(
      /^walk\.jsonl: line 2: 'position' must be \[x, y, z\]/,
    );
    expect(problem(`${head}{"t": 1e999, "id": "p1", "position": [0, 0, 0]}\n`).message).toMatch(
      /line 2: 't' must be a finite number/,
    );
  });
  it('unknown ids, duplicate declarations, actors that never move', () => {
    expect(problem(`${head}{"t": 0, "id": "p2", "position": [0, 0, 0]}\n`).message).toMatch(
      /^walk\.jsonl: line 2: unknown id 'p2'/,
    );
    expect(problem(`${head}${head}`).message).toMatch(/line 2: actor 'p1' already declared on line 1/);
    expect(problem(head).message).toMatch(/line 1: actor 'p1' has no samples and no waypoints/);
    expect(problem('{"actor": "b", "kind": "car"}\n').message).toMatch(
      /line 1: 'kind' must be human, box or mesh/,
    );
    expect(problem('{"actor": "b", "kind": "box", "size": [1, 2]}\n').message).toMatch(/line 1: 'size'/);
    expect(problem('{"actor": "b", "kind": "box", "size": [1, 1, 1], "material": "foam"}\n').message).toMatch(
      /line 1: 'material' must be skin, absorber or an ITU material/,
    );
  });
  it('materials: skin for people, metal for boxes by default, an ITU name, or the absorber', () => {
    const walk = (decl: string) =>
      parseActorsFile(`${decl}\n{"t": 0, "id": "a", "position": [0, 0, 0]}\n`, FILE).actors[0]!.material;
    expect(walk('{"actor": "a", "kind": "human"}')).toEqual({ kind: 'skin' });
    expect(walk('{"actor": "a", "kind": "box", "size": [1, 1, 1]}')).toEqual({
      kind: 'itu',
      name: 'metal',
      thickness: 0.1,
    });
    expect(walk('{"actor": "a", "kind": "box", "size": [1, 1, 1], "material": "absorber"}')).toEqual({
      kind: 'absorber',
    });
  });
  it('every message is one line', () => {
    expect(problem('{"actor": "p\\n1"\n').message).not.toMatch(/\n/);
  });
});

describe('trajectories', () => {
  it('interpolates position linearly and yaw the short way round; velocity is the segment slope', () => {
    const f = parseActorsFile(
      '{"actor": "p1"}\n{"t": 0, "id": "p1", "position": [0, 0, 0], "yaw": 170}\n{"t": 2, "id": "p1", "position": [2, 4, 0], "yaw": -170}\n',
      FILE,
    );
    const k = f.tracks.get('p1')!;
    const p = poseAt(k, 1);
    expect(p.position).toEqual([1, 2, 0]);
    expect(((((p.yaw * 180) / Math.PI) % 360) + 360) % 360).toBeCloseTo(180, 9);
    expect(motionAt(k, 1).velocity).toEqual([1, 2, 0]);
    expect(motionAt(k, 3).velocity).toEqual([0, 0, 0]);
    expect(poseAt(k, 5).position).toEqual([2, 4, 0]);
  });
  it('waypoints at a speed: times from the distances, heading of travel as yaw', () => {
    const k = waypointTrack(
      [
        [0, 0, 0],
        [3, 4, 0],
        [3, 10, 0],
      ],
      2,
      1,
    );
    expect(k.t).toEqual([1, 3.5, 6.5]);
    expect(k.yaw[2]).toBeCloseTo(Math.PI / 2, 12);
    const f = parseActorsFile('{"actor": "p1", "waypoints": [[0, 0, 0], [2, 0, 0]], "speed": 1}\n', FILE);
    expect(f.span).toEqual([0, 2]);
  });
  it('devices move by the ids tx and rx', () => {
    const f = parseActorsFile(
      '{"t": 0, "id": "rx", "position": [1, 0, 1]}\n{"t": 1, "id": "rx", "position": [2, 0, 1]}\n',
      FILE,
    );
    expect(f.devices.rx?.t).toEqual([0, 1]);
  });
  it('an actor walking through a wall: a warning naming the file, line and wall; the run goes on', () => {
    const scene = sceneFromMeshes('room', [cuboid('wall', 'itu_concrete', [2, -5, 0], [2.2, 5, 3])]);
    const f = parseActorsFile(
      '{"actor": "p1"}\n{"t": 0, "id": "p1", "position": [0, 0, 0]}\n{"t": 1, "id": "p1", "position": [2.1, 0, 0]}\n',
      FILE,
    );
    const tl = timeline(
      scene,
      f,
      [-1, -1, 1],
      [-1, 1, 1],
      { settings: channelSettings({ frequencyHz: 28e9 }) },
      FILE,
    );
    expect(tl.warnings).toEqual([
      "walk.jsonl: line 3: actor 'p1' at t = 1 s cuts through object 'wall' (inside a wall?); traced as given",
    ]);
    expect(scene.objects.length).toBe(1); // the twin is not changed
  });
});
