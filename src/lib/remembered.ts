// Promises a page keeps for its visit (a data file fetched once, DuckDB-wasm opened once, a Parquet file's
// footer read once), shared by every reader. A promise that rejected is not kept: one dropped request
// would otherwise fail every later filter or query that needs the same thing, until the page is
// reloaded, since each would await the remembered failure instead of asking again.

/** One remembered promise. */
export interface Remembered<T> {
  /** The kept promise, if any (pending or fulfilled; a rejected one is dropped as it rejects). */
  readonly current: Promise<T> | undefined;
  /** The kept promise, else make()'s, which is kept unless it rejects. */
  get(make: () => Promise<T>): Promise<T>;
}

export function remembered<T>(): Remembered<T> {
  let kept: Promise<T> | undefined;
  return {
    get current() {
      return kept;
    },
    get(make) {
      if (kept) return kept;
      const made = make();
      kept = made;
      // Only this promise is forgotten: a later one made after it failed stays.
      made.catch(() => {
        if (kept === made) kept = undefined;
      });
      return made;
    }
  };
}

/** A remembered promise per key, each forgotten alone when it rejects. */
export function rememberedByKey<K, T>(): {get(key: K, make: () => Promise<T>): Promise<T>} {
  const kept = new Map<K, Remembered<T>>();
  return {
    get(key, make) {
      let one = kept.get(key);
      if (!one) kept.set(key, (one = remembered<T>()));
      return one.get(make);
    }
  };
}
