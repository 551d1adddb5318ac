/**
 * Records keyed by ids that come from files (material ids, object names). They have no
 * prototype, so "__proto__", "constructor" or "toString" are ids like any other: a plain `{}`
 * would turn `m["__proto__"] = x` into a prototype change and answer `m["constructor"]` with
 * Object's own function. Look ids up with `hasId`, which is true only for ids set on the record.
 */
export function idRecord<T>(entries?: Iterable<readonly [string, T]>): Record<string, T> {
  const r = Object.create(null) as Record<string, T>;
  if (entries) for (const [k, v] of entries) r[k] = v;
  return r;
}

export const hasId = (record: object, id: string): boolean => Object.hasOwn(record, id);

/** The value of an id set on the record, never one inherited from Object.prototype. */
export const getId = <T>(record: Record<string, T>, id: string): T | undefined =>
  Object.hasOwn(record, id) ? record[id] : undefined;
