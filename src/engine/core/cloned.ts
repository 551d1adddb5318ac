/**
 * Data that arrived through postMessage (a structured clone), rebuilt so that hot code sees the
 * same kinds of arrays as data made on this thread.
 *
 * Why: V8's deserializer makes every JavaScript array with generic elements — a transmitter
 * position [0.3, 0.2, 2.5] arrives as an array of boxed numbers, where one made here holds
 * unboxed doubles. The tracer then meets both kinds at the same call sites and runs slower
 * everywhere: a radio map in a pool worker took 1.3–1.4× as long as the same blocks on the
 * calling thread, and one thread given a cloned transmitter and scene 1.2–1.3× (bench/parallel).
 *
 * Arrays of numbers are rebuilt from a site that only ever holds numbers (a site shared with
 * arrays of objects would hand out generic arrays again), other arrays and plain objects are
 * rebuilt member by member; typed arrays, class instances, Maps and the like are kept as they
 * are. Shared references and cycles are kept (each object is rebuilt once).
 */
export function reviveCloned<T>(value: T): T {
  try {
    return revive(value, new Map()) as T;
  } catch (e) {
    // nested deeper than this stack goes (a hostile file's data): as it came, only slower
    if (e instanceof RangeError) return value;
    throw e;
  }
}

function revive(v: unknown, seen: Map<object, unknown>): unknown {
  if (v === null || typeof v !== 'object') return v;
  const done = seen.get(v);
  if (done !== undefined) return done;
  if (Array.isArray(v)) return allNumbers(v) ? numbers(v, seen) : list(v, seen);
  if (Object.getPrototypeOf(v) !== Object.prototype) return v; // typed arrays, Maps, class instances
  const out: Record<string, unknown> = {};
  seen.set(v, out);
  for (const k of Object.keys(v)) out[k] = revive((v as Record<string, unknown>)[k], seen);
  return out;
}

function allNumbers(v: readonly unknown[]): boolean {
  if (v.length === 0) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number') return false;
  return true;
}

function numbers(v: readonly unknown[], seen: Map<object, unknown>): number[] {
  const out: number[] = [];
  seen.set(v, out);
  for (let i = 0; i < v.length; i++) out.push(v[i] as number);
  return out;
}

function list(v: readonly unknown[], seen: Map<object, unknown>): unknown[] {
  const out: unknown[] = [];
  seen.set(v, out);
  for (let i = 0; i < v.length; i++) out.push(revive(v[i], seen));
  return out;
}
