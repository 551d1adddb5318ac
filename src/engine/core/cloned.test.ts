import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { reviveCloned } from './cloned.ts';

// V8's own view of an array's elements (natives syntax, allowed before these functions compile)
setFlagsFromString('--allow-natives-syntax');
const unboxed = new Function('a', 'return %HasDoubleElements(a) || %HasSmiElements(a)') as (
  a: unknown[],
) => boolean;
const boxed = new Function('a', 'return %HasObjectElements(a)') as (a: unknown[]) => boolean;

function message() {
  const normal = [0.6, 0.8, 0];
  const scene = {
    name: 'room',
    positions: new Float64Array([0, 1, 2.5]),
    faces: [
      { id: 0, normal, triangles: [0, 1], area: 1.5 },
      { id: 1, normal, triangles: [2], area: 0.25, overlappedBy: [0] },
    ],
    bbox: { min: [-1.5, -2.5, 0], max: [1.5, 2.5, 3.25] },
    byName: new Map([['wall', 1]]),
  };
  return {
    type: 'task',
    scene,
    tx: [0.3, 0.2, 2.5],
    links: [{ tx: [0.3, 0.2, 2.5], rx: [1.25, -0.5, 1.5] }],
  };
}

describe('reviveCloned', () => {
  it('gives back what was cloned, member for member, with shared references, cycles and -0 kept', () => {
    const m = message();
    const back = reviveCloned(structuredClone(m));
    expect(back).toEqual(m);
    // one normal shared by two faces stays one array
    expect(back.scene.faces[1]!.normal).toBe(back.scene.faces[0]!.normal);
    const cyclic: { self?: unknown; v: number[] } = { v: [-0, Number.NaN, 1e-300] };
    cyclic.self = cyclic;
    const c = reviveCloned(structuredClone(cyclic));
    expect(c.self).toBe(c);
    expect(Object.is(c.v[0], -0)).toBe(true);
    expect(c.v[1]).toBeNaN();
    expect(reviveCloned([])).toEqual([]);
    expect(reviveCloned([1, 'a', null, [2.5]])).toEqual([1, 'a', null, [2.5]]);
  });

  it('hands back data nested deeper than the stack goes as it is, without throwing', () => {
    let deep: unknown[] = [1.5];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(reviveCloned(deep)).toBe(deep);
  });

  it('keeps typed arrays, Maps and class instances themselves', () => {
    const cloned = structuredClone(message());
    const back = reviveCloned(cloned);
    expect(back.scene.positions).toBe(cloned.scene.positions);
    expect(back.scene.byName).toBe(cloned.scene.byName);
    class Spec {
      constructor(readonly gain: number[]) {}
    }
    const spec = new Spec([1.5]);
    expect(reviveCloned({ spec }).spec).toBe(spec);
  });

  it('turns the boxed arrays of a structured clone into unboxed ones, also after arrays of objects', () => {
    const cloned = structuredClone(message());
    // the premise: V8's deserializer hands out arrays of boxed numbers
    expect(boxed(cloned.tx)).toBe(true);
    expect(boxed(cloned.scene.faces[0]!.normal)).toBe(true);
    // arrays of objects revived first must not make the number arrays after them generic
    for (let i = 0; i < 50; i++) reviveCloned(structuredClone([{ a: 1 }, { b: [{ c: 2 }] }]));
    const back = reviveCloned(cloned);
    for (const a of [
      back.tx,
      back.links[0]!.tx,
      back.links[0]!.rx,
      back.scene.faces[0]!.normal,
      back.scene.faces[0]!.triangles,
      back.scene.bbox.min,
    ])
      expect(unboxed(a), JSON.stringify(a)).toBe(true);
  });
});
