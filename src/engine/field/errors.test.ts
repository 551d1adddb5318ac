import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import type { PathGeometry } from '../tracer/path.ts';
import { evaluatePaths, evaluatePathsWithGradient, parameterKey } from './index.ts';
import { ituRadio, plateScene } from './testScenes.ts';

const F = 28e9;
const scene = plateScene('itu_metal');
const reflection: PathGeometry = {
  kind: 'specular',
  interactions: [{ type: 'reflection', objectIndex: 0, faceIndex: 0, point: [1, 0, 0] }],
  length: 0,
};

describe('bad input to the field evaluation', () => {
  it('a material without radio parameters is an InputError naming it', () => {
    expect(() => evaluatePaths(scene, [0, 0, 1], [2, 0, 1], [reflection], {}, { frequencyHz: F })).toThrow(
      InputError,
    );
    expect(() => evaluatePaths(scene, [0, 0, 1], [2, 0, 1], [reflection], {}, { frequencyHz: F })).toThrow(
      /itu_metal/,
    );
  });
  it('a non-positive frequency is refused', () => {
    expect(() => evaluatePaths(scene, [0, 0, 1], [2, 0, 1], [], {}, { frequencyHz: 0 })).toThrow(/frequency/);
  });
  it('a scattering interaction without area, or a face that does not exist, is refused', () => {
    const m = { itu_metal: ituRadio('metal', F, { scatteringCoefficient: 0.5 }) };
    const noArea: PathGeometry = {
      kind: 'scattered',
      interactions: [{ type: 'scattering', objectIndex: 0, faceIndex: 0, point: [1, 0, 0] }],
      length: 0,
    };
    expect(() => evaluatePaths(scene, [0, 0, 1], [2, 0, 1], [noArea], m, { frequencyHz: F })).toThrow(/area/);
    const badFace: PathGeometry = {
      kind: 'specular',
      interactions: [{ type: 'reflection', objectIndex: 0, faceIndex: 7, point: [1, 0, 0] }],
      length: 0,
    };
    expect(() => evaluatePaths(scene, [0, 0, 1], [2, 0, 1], [badFace], m, { frequencyHz: F })).toThrow(
      /face 7/,
    );
  });
  it('a path with a zero-length segment has a = 0 (no NaN)', () => {
    const m = { itu_metal: ituRadio('metal', F) };
    const [p] = evaluatePaths(scene, [1, 0, 0], [2, 0, 1], [reflection], m, { frequencyHz: F });
    expect(p!.a).toEqual({ re: 0, im: 0 });
  });
  it('per-object keys (options.materialOf) name the gradient entries', () => {
    const m = { 'object:plate': ituRadio('concrete', F) };
    const { gradients } = evaluatePathsWithGradient(scene, [0, 0, 1], [2, 0, 1], [reflection], m, {
      frequencyHz: F,
      materialOf: (i) => `object:${scene.objects[i]!.name}`,
    });
    expect(gradients[0]!.has(parameterKey('object:plate', 'conductivity'))).toBe(true);
    expect(gradients[0]!.size).toBe(4);
  });
});
