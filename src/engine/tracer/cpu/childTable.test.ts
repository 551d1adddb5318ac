import { describe, expect, it } from 'vitest';
import { CandidateTrie } from './candidates.ts';
import { ChildTable } from './childTable.ts';

describe('ChildTable (the candidate trie’s child lookup)', () => {
  it('agrees with a Map through inserts, deletes and growth, tombstones included', () => {
    const table = new ChildTable(4);
    const ref = new Map<string, number>();
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let step = 0; step < 200_000; step++) {
      // deep node ids (past node 511 the old numeric key was a heap number) and small ones
      const node = rnd(4) === 0 ? rnd(50) : 1_000_000 + rnd(20_000);
      const key = rnd(64);
      const name = `${node}/${key}`;
      const op = rnd(10);
      if (op < 6 && !ref.has(name)) {
        table.set(node, key, step);
        ref.set(name, step);
      } else if (op < 8) {
        table.delete(node, key);
        ref.delete(name);
      }
      expect(table.get(node, key)).toBe(ref.get(name) ?? -1);
    }
    for (const [name, child] of ref) {
      const [node, key] = name.split('/').map(Number);
      expect(table.get(node!, key!)).toBe(child);
    }
    expect(table.get(7, 999)).toBe(-1);
  });

  it('the trie finds every node it made, and none it dropped', () => {
    const trie = new CandidateTrie();
    // a complete tree of 3 faces × 2 types to depth 6: 6 + 36 + … + 6⁶ nodes
    let level = [0];
    for (let d = 0; d < 6; d++) {
      const next: number[] = [];
      for (const v of level)
        for (let f = 0; f < 3; f++) for (let t = 0; t < 2; t++) next.push(trie.child(v, f, t));
      level = next;
    }
    const size = trie.size;
    expect(size).toBe(1 + 6 + 36 + 216 + 1296 + 7776 + 46656);
    for (let v = 1; v < size; v++) expect(trie.find(trie.parent[v]!, trie.face[v]!, trie.type[v]!)).toBe(v);
    // drop the deepest level, then grow a different one: old entries must not answer for new nodes
    const kept = size - 46656;
    trie.truncate(kept);
    for (let v = kept - 7776; v < kept; v++) expect(trie.find(v, 0, 0)).toBe(-1);
    const fresh = trie.child(kept - 1, 2, 1);
    expect(fresh).toBe(kept);
    expect(trie.find(kept - 1, 2, 1)).toBe(kept);
    expect(trie.find(kept - 1, 0, 0)).toBe(-1);
    const copy = CandidateTrie.of(trie.parent, trie.face, trie.type);
    for (let v = 1; v < trie.size; v++)
      expect(copy.find(trie.parent[v]!, trie.face[v]!, trie.type[v]!)).toBe(v);
  });
});
