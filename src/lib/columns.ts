// Rows of one shape as columns: each key written once with its values in a list, instead of once per
// row. Eval triage's suite blocks (loaders/queries/triageFiles.ts) hold a suite's runs this way: a run's
// key names were about half of its 450 bytes, and a suite's runs most of what the page fetches for it.

/** Each key of T with the rows' values in order. Rows with no keys (or none at all) are `{}`. */
export type Columns<T> = {[K in keyof T]: T[K][]};

/**
 * The rows as columns. Every row must have the keys of the first, and no other: a key missing from a row
 * would come back as null (JSON writes undefined in a list as null), so the call fails instead.
 */
export function toColumns<T extends object>(rows: readonly T[]): Columns<T> {
  if (!rows.length) return {} as Columns<T>;
  const keys = Object.keys(rows[0]) as (keyof T)[];
  const columns = Object.fromEntries(keys.map((k) => [k, [] as unknown[]])) as unknown as Columns<T>;
  rows.forEach((row, i) => {
    const own = Object.keys(row);
    if (own.length !== keys.length || keys.some((k) => !Object.hasOwn(row, k)))
      throw new Error(`toColumns: row ${i} has keys ${own.join(", ")}, not the first row's ${keys.join(", ")}`);
    for (const k of keys) columns[k].push(row[k]);
  });
  return columns;
}

/** The rows toColumns wrote, with their keys in the columns' order. */
export function fromColumns<T extends object>(columns: Columns<T>): T[] {
  const keys = Object.keys(columns) as (keyof T)[];
  const n = keys.length ? columns[keys[0]].length : 0;
  if (keys.some((k) => columns[k].length !== n)) throw new Error("fromColumns: columns of different lengths");
  return Array.from({length: n}, (_, i) => Object.fromEntries(keys.map((k) => [k, columns[k][i]])) as T);
}
