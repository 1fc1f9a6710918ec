// Lists grouped by key. Appending in place: `map.set(k, [...(map.get(k) ?? []), v])` copies the list on every
// append and is quadratic in the size of a group (10,000 containers that all read `PORT`, 20,000 objects in
// one folder).

/** Append `values` to the list under `key`, creating it when absent. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, values);
}

/** Items grouped by their file, each group in the items' order. */
export function groupByFile<T extends { file: string }>(items: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const list = map.get(item.file);
    if (list) list.push(item);
    else map.set(item.file, [item]);
  }
  return map;
}
