// An independent reading of the sample's eval results for the bake-off's browser tests: the options a
// bake-off compares are the latest run of each model · prompt of a suite.

/** The eval result fields that name a row's option and run. */
export interface OptionRow {
  suite: string;
  model: string;
  prompt_version: string;
  started_at: string;
}

/** The latest run of each model · prompt of a suite: its rows, by option. */
export function latestRuns<R extends OptionRow>(rows: readonly R[], suite: string): Map<string, R[]> {
  const byOption = new Map<string, R[]>();
  for (const r of rows.filter((x) => x.suite === suite)) {
    const key = `${r.model} · ${r.prompt_version}`;
    byOption.set(key, [...(byOption.get(key) ?? []), r]);
  }
  return new Map(
    [...byOption].map(([key, rs]) => {
      const latest = rs
        .map((r) => r.started_at)
        .sort()
        .at(-1);
      return [key, rs.filter((r) => r.started_at === latest)];
    })
  );
}
