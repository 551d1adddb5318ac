/**
 * Growable typed arrays for importers: amortised O(1) appends without the boxing and the
 * 3×-memory peaks of number[] → Float64Array.from on 10⁷-element meshes.
 */
export class Float64List {
  private data = new Float64Array(16);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }

  private grow() {
    const next = new Float64Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  /** A copy of exactly the pushed values. */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

export class Uint32List {
  private data = new Uint32Array(16);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }

  private grow() {
    const next = new Uint32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  toArray(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}
