import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../core/vec3.ts';
import { resolveSceneMaterials } from '../materials/radioMaterial.ts';
import { cuboid, quad, sceneFromMeshes } from '../tracer/cpu/testScenes.ts';
import { Channel } from './channel.ts';
import { channelSettings } from './settings.ts';

/**
 * Transmission rules (docs/physics.md §4): the half-space model has no far side, so transmission
 * with it is refused; and no path ever crosses a conductor ("metal": σ/(ε0ω) ≥ 1000·ε′r), however
 * thin, while a dielectric of the same shape does let paths through.
 */
const F = 28e9;

describe('transmission rules', () => {
  it('the half-space model refuses transmission with a message saying what to do', () => {
    expect(() => channelSettings({ frequencyHz: F, materialModel: 'halfspace' })).toThrow(
      /transmission is not defined in the halfspace material model.*slab model, or turn transmission off/,
    );
    expect(
      channelSettings({ frequencyHz: F, materialModel: 'halfspace', transmission: false }).materialModel,
    ).toBe('halfspace');
  });

  it('no path through a metal car, even a 1 µm metal shell; a glass one lets paths through', async () => {
    // a "car" between Tx and Rx above a ground plate; depth 3, every mechanism
    const scene = (material: string) =>
      sceneFromMeshes('street', [
        quad('ground', 'itu_concrete', [-30, -30, 0], [30, -30, 0], [30, 30, 0], [-30, 30, 0]),
        cuboid('car', material, [-2, -1, 0.2], [2, 1, 1.6]),
      ]);
    const tx: Vec3 = [-8, 0.3, 1];
    const rx: Vec3 = [9, -0.2, 1.2];
    const through = async (material: string, thickness?: number) => {
      const s = scene(material);
      const resolved = resolveSceneMaterials(s.materials, F);
      const materials = Object.fromEntries(
        Object.entries(resolved).map(([id, m]) => [id, thickness === undefined ? m : { ...m, thickness }]),
      );
      const channel = await Channel.open(s, channelSettings({ frequencyHz: F }), { backend: 'cpu' });
      const [l] = await channel.traceLinks([{ tx, rx }], materials);
      const car = s.objects.findIndex((o) => o.name === 'car');
      return l!.paths.filter((p) =>
        p.interactions.some((i) => i.type === 'transmission' && i.objectIndex === car),
      );
    };
    expect((await through('itu_glass')).length).toBeGreaterThan(0);
    expect(await through('itu_metal')).toEqual([]);
    expect(await through('itu_metal', 1e-6)).toEqual([]);
  });
});
