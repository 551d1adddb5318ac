/**
 * The candidate trie's child lookup, (parent node, face, type) → child node, as an open-addressing
 * hash table over typed arrays. It replaces a Map keyed by node·2²² + 2·face + type: past node
 * 511 that key is no small integer, so every lookup of a deep tree hashed a heap number and every
 * insertion allocated one (building the 0.4 M-node depth-5 tree of the demo room spent 16 % of its
 * time in that lookup and 10 % collecting garbage).
 *
 * Linear probing; deleted entries leave a tombstone (the trie drops its newest nodes when a level
 * does not fit its budget, or when a shot is started over), so later probes still run past them.
 */
const EMPTY = -1;
const DELETED = -2;

export class ChildTable {
  /** per slot: parent node (EMPTY, DELETED or ≥ 0) */
  private parent: Int32Array;
  /** per slot: 2·face + type */
  private key: Int32Array;
  private child: Int32Array;
  private mask: number;
  /** slots holding an entry or a tombstone */
  private used = 0;

  constructor(capacity = 1024) {
    let n = 16;
    while (n < 2 * capacity) n *= 2;
    this.parent = new Int32Array(n).fill(EMPTY);
    this.key = new Int32Array(n);
    this.child = new Int32Array(n);
    this.mask = n - 1;
  }

  private slot(node: number, key: number): number {
    // multiplicative hashing of both halves, folded to the table's size
    const h = Math.imul(node, 0x9e3779b1) ^ Math.imul(key + 0x632be5ab, 0x85ebca77);
    return (h ^ (h >>> 15)) & this.mask;
  }

  /** The child of `node` for `key` (2·face + type), or −1. */
  get(node: number, key: number): number {
    const { parent, mask } = this;
    for (let s = this.slot(node, key); ; s = (s + 1) & mask) {
      const p = parent[s]!;
      if (p === EMPTY) return -1;
      if (p === node && this.key[s] === key) return this.child[s]!;
    }
  }

  /** Record `child` for (node, key); the pair must not be in the table. */
  set(node: number, key: number, child: number): void {
    if (2 * (this.used + 1) > this.parent.length) this.grow();
    const { parent, mask } = this;
    let s = this.slot(node, key);
    while (parent[s]! >= 0) s = (s + 1) & mask;
    if (parent[s] === EMPTY) this.used++;
    parent[s] = node;
    this.key[s] = key;
    this.child[s] = child;
  }

  /** Remove (node, key) when present. */
  delete(node: number, key: number): void {
    const { parent, mask } = this;
    for (let s = this.slot(node, key); ; s = (s + 1) & mask) {
      const p = parent[s]!;
      if (p === EMPTY) return;
      if (p === node && this.key[s] === key) {
        parent[s] = DELETED;
        return;
      }
    }
  }

  /** Twice the slots (or as many again when tombstones fill them), entries re-inserted. */
  private grow(): void {
    const { parent, key, child } = this;
    let live = 0;
    for (let s = 0; s < parent.length; s++) if (parent[s]! >= 0) live++;
    const n = 4 * (live + 1) > parent.length ? 2 * parent.length : parent.length;
    this.parent = new Int32Array(n).fill(EMPTY);
    this.key = new Int32Array(n);
    this.child = new Int32Array(n);
    this.mask = n - 1;
    this.used = 0;
    for (let s = 0; s < parent.length; s++) if (parent[s]! >= 0) this.set(parent[s]!, key[s]!, child[s]!);
  }
}
