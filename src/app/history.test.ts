import { beforeEach, describe, expect, it } from 'vitest';
import { ituSpec } from '../engine/materials/index.ts';
import { clearHistory, installHistory, redo, undo } from './history.ts';
import { type Device, studio } from './store.ts';

const tx: Device = { id: 'tx-1', kind: 'tx', name: 'Tx 1', position: [0, 0, 2] };
const rx: Device = { id: 'rx-1', kind: 'rx', name: 'Rx 1', position: [1, 1, 1.5] };
const brick = { id: 'brick', spec: ituSpec('brick'), source: 'scene' as const };
const metal = { id: 'brick', spec: ituSpec('metal'), source: 'manual' as const };

installHistory();

/** Wait past the coalescing window so that the next edit is its own step. */
const later = () => new Promise((r) => setTimeout(r, 1100));

describe('undo / redo of the person’s edits', () => {
  beforeEach(() => {
    studio.set({ devices: [tx, rx], materials: { brick }, objectMaterial: ['brick'] });
    clearHistory();
  });

  it('a device move and a material override are undone and redone in order, with labels', async () => {
    studio.set({ devices: [{ ...tx, position: [3, 0, 2] }, rx] });
    expect(studio.get().undoLabel).toBe('move Tx 1');
    await later();
    studio.set({ materials: { brick: metal } });
    expect(studio.get().undoLabel).toBe('set brick');
    undo();
    expect(studio.get().materials.brick).toBe(brick);
    expect(studio.get().devices[0]!.position).toEqual([3, 0, 2]);
    expect(studio.get().redoLabel).toBe('set brick');
    undo();
    expect(studio.get().devices[0]!.position).toEqual([0, 0, 2]);
    expect(studio.get().undoLabel).toBeNull();
    redo();
    expect(studio.get().devices[0]!.position).toEqual([3, 0, 2]);
    redo();
    expect(studio.get().materials.brick).toBe(metal);
    expect(studio.get().redoLabel).toBeNull();
  });

  it('a drag (many moves of one device in quick succession) is one step', () => {
    for (let k = 1; k <= 20; k++) studio.set({ devices: [{ ...tx, position: [k / 10, 0, 2] }, rx] });
    undo();
    expect(studio.get().devices[0]!.position).toEqual([0, 0, 2]);
    expect(studio.get().undoLabel).toBeNull();
  });

  it('a new edit after an undo drops the redo steps; adding and removing are steps of their own', async () => {
    studio.set({ devices: [tx] });
    expect(studio.get().undoLabel).toBe('remove Rx 1');
    undo();
    expect(studio.get().devices).toEqual([tx, rx]);
    studio.set({ devices: [tx, rx, { ...rx, id: 'rx-2', name: 'Rx 2' }] });
    expect(studio.get().undoLabel).toBe('add Rx 2');
    expect(studio.get().redoLabel).toBeNull();
  });

  it('an override of a material names the material when the object list is copied unchanged', () => {
    // overrideMaterial (scope 'material') sets a new materials map and a copy of objectMaterial
    studio.set({ materials: { brick: metal }, objectMaterial: ['brick'] });
    expect(studio.get().undoLabel).toBe('set brick');
    studio.set({ materials: { brick: metal, 'wall-manual': metal }, objectMaterial: ['wall-manual'] });
    expect(studio.get().undoLabel).toBe('override object 0');
  });
});
