// Lists grouped by key. Appending in place: `map.set(k, [...(map.get(k) ?? []), v])` copies the list on every
// append and is quadratic in the size of a group (10,000 containers that all read `PORT`, 20,000 objects in
// one folder).

/** Append `values` to the list under `key`, creating it when absent. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, values);
}
