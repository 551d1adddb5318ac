import { describe, expect, it } from 'vitest';
import type { Scene } from '../engine/scene/index.ts';
import {
  between,
  frequencyCheck,
  integerBetween,
  positionCheck,
  readNumber,
  sceneMargin,
} from './validation.ts';

/** Only the bounding box matters to the position rules: a 10 m × 10 m × 3 m room. */
const itu = (ituName: string) =>
  ({ kind: 'itu', ituName, thickness: 0.1, scatteringCoefficient: 0, xpdCoefficient: 0 }) as const;
const room = { bbox: { min: [-5, -5, 0], max: [5, 5, 3] } } as unknown as Scene;

describe('typed numbers', () => {
  it('reads decimals only, and says why anything else is refused', () => {
    expect(readNumber(' 2.5 ')).toEqual({ value: 2.5 });
    expect(readNumber('-1e6')).toEqual({ value: -1e6 });
    expect(readNumber('')).toEqual({ problem: 'a number is required' });
    expect(readNumber('1e400')).toEqual({ problem: "'1e400' is out of range (it overflows to infinity)" });
    expect(readNumber('0x10')).toHaveProperty('problem', expect.stringContaining('not a decimal number'));
    expect(readNumber('NaN')).toHaveProperty('problem', "'NaN' is not a finite number");
    expect(readNumber('3 m')).toHaveProperty('problem', "'3 m' is not a number");
  });

  it('positions: within the bounding box plus 10 % of its largest extent (at least 1 m)', () => {
    expect(sceneMargin(room)).toBe(1);
    const x = positionCheck(room, 0);
    const z = positionCheck(room, 2);
    for (const v of [-6, -5, 0, 5, 6]) expect(x(v)).toBeUndefined();
    expect(x(6.01)).toBe('x = 6.01 m is outside the scene (-5 … 5 m, ±1 m margin)');
    expect(x(1e308)).toBe('x = 1.000e+308 m is outside the scene (-5 … 5 m, ±1 m margin)');
    expect(z(-1.5)).toBe('z = -1.5 m is outside the scene (0 … 3 m, ±1 m margin)');
    expect(z(-1e6)).toBe('z = -1.000e+6 m is outside the scene (0 … 3 m, ±1 m margin)');
    const city = { bbox: { min: [0, 0, 0], max: [400, 300, 60] } } as unknown as Scene;
    expect(sceneMargin(city)).toBe(40);
  });

  it('frequency: above 0, within 0.1 GHz … 1 THz, and within ITU-R P.2040 for the ITU materials unless extrapolating', () => {
    // ITU-R P.2040-1 Table 3 defines brick from 1 to 40 GHz and concrete from 1 to 100 GHz
    const brick = frequencyCheck([itu('brick')], false);
    const concrete = frequencyCheck([itu('concrete')], false);
    expect(brick(28)).toBeUndefined();
    expect(brick(40)).toBeUndefined();
    expect(brick(60)).toMatch(/^60 GHz: ITU-R P\.2040 defines brick only for 1–40 GHz \(tick "extrapolate"/);
    expect(concrete(60)).toBeUndefined();
    expect(brick(0)).toBe('the frequency must be above 0 GHz, got 0 GHz');
    expect(brick(-5)).toBe('the frequency must be above 0 GHz, got -5 GHz');
    expect(brick(1e9)).toMatch(/^1\.000e\+9 GHz is outside 0\.1 GHz … 1000 GHz/);
    const extrapolating = frequencyCheck([itu('brick')], true);
    expect(extrapolating(60)).toBeUndefined();
    expect(extrapolating(1e9)).toMatch(/outside 0\.1 GHz … 1000 GHz/);
    // custom materials have no validity range
    expect(
      frequencyCheck([{ kind: 'custom', relativePermittivity: 3, conductivity: 0.1 }] as never, false)(500),
    ).toBeUndefined();
  });

  it('ranges and whole numbers', () => {
    expect(between(0.1, 1000, ' %', 'the threshold')(0)).toBe(
      'the threshold must be from 0.1 to 1000 %, got 0 %',
    );
    expect(between(0.1, 1000, ' %', 'the threshold')(20)).toBeUndefined();
    expect(integerBetween(0, 12, 'the depth')(2.5)).toBe(
      'the depth must be a whole number from 0 to 12, got 2.5',
    );
    expect(integerBetween(0, 12, 'the depth')(13)).toBe(
      'the depth must be a whole number from 0 to 12, got 13',
    );
    expect(integerBetween(0, 12, 'the depth')(0)).toBeUndefined();
  });
});
