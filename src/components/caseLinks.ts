// Addresses of the case view (src/case.md): one eval case, trace, correction or flag, or a list of
// the rows of one table that match a few equalities and ranges. Query parameters, not a hash: every
// static host and `npm run preview` serve case.html whatever the query, and the address can be sent to
// an engineer as is. The pages build their links here and the case page parses them here, so the two
// cannot disagree.

/** The tables a case list can show; each row of one links to its own case. */
export const listTables = ["eval_results", "requests", "corrections", "flags"] as const;
export type ListTable = (typeof listTables)[number];

export type CaseTarget =
  /** One eval case: every run that graded it; with before and after, those two runs side by side. */
  | {kind: "eval"; case_id: string; run_id?: string; before?: string; after?: string}
  | {kind: "trace"; trace_id: string}
  | {kind: "correction"; event_id: string}
  | {kind: "flag"; flag_id: string}
  | {
      kind: "list";
      table: ListTable;
      where: Record<string, string | boolean>;
      min?: Record<string, number>;
      max?: Record<string, number>;
    };

/** Parameters of each kind besides `kind`, in the order they are written. */
const keys = {
  eval: ["case_id", "run_id", "before", "after"],
  trace: ["trace_id"],
  correction: ["event_id"],
  flag: ["flag_id"]
} as const;

/** Prefixes of a list's filters: where.col=value (equality), min.col=n (≥), max.col=n (<). */
const WHERE = "where.";
const MIN = "min.";
const MAX = "max.";

export function caseHref(target: CaseTarget): string {
  const params = new URLSearchParams({kind: target.kind});
  if (target.kind === "list") {
    params.set("table", target.table);
    for (const [column, value] of Object.entries(target.where)) params.set(WHERE + column, String(value));
    for (const [column, value] of Object.entries(target.min ?? {})) params.set(MIN + column, String(value));
    for (const [column, value] of Object.entries(target.max ?? {})) params.set(MAX + column, String(value));
  } else {
    const values = target as unknown as Record<string, string | undefined>;
    for (const key of keys[target.kind]) if (values[key] !== undefined) params.set(key, values[key]!);
  }
  return `./case.html?${params}`;
}

/** What an address asks for, or why it cannot be shown (a hand-edited or truncated link). */
export function parseCaseTarget(search: string): CaseTarget | {error: string} {
  const params = new URLSearchParams(search);
  const kind = params.get("kind");
  const get = (key: string) => params.get(key) ?? undefined;
  const need = (key: string) => {
    const value = get(key);
    if (!value) throw new Error(`the address names no ${key}; open a case from a page's table.`);
    return value;
  };
  try {
    if (kind === "eval")
      return {kind, case_id: need("case_id"), run_id: get("run_id"), before: get("before"), after: get("after")};
    if (kind === "trace") return {kind, trace_id: need("trace_id")};
    if (kind === "correction") return {kind, event_id: need("event_id")};
    if (kind === "flag") return {kind, flag_id: need("flag_id")};
    if (kind === "list") {
      const table = need("table");
      if (!(listTables as readonly string[]).includes(table))
        return {error: `no case list of the table "${table}"; one of ${listTables.join(", ")}.`};
      const where: Record<string, string | boolean> = {};
      const min: Record<string, number> = {};
      const max: Record<string, number> = {};
      for (const [key, value] of params) {
        if (key.startsWith(WHERE))
          where[key.slice(WHERE.length)] = value === "true" ? true : value === "false" ? false : value;
        const bound = key.startsWith(MIN) ? min : key.startsWith(MAX) ? max : null;
        if (!bound) continue;
        const n = Number(value);
        if (value === "" || !Number.isFinite(n)) return {error: `${key} must be a number, not "${value}".`};
        bound[key.slice(4)] = n;
      }
      return {kind, table: table as ListTable, where, min, max};
    }
  } catch (error) {
    return {error: (error as Error).message};
  }
  return {error: `the address names no kind of case (kind=eval, trace, correction, flag or list).`};
}

/** Whether row i of a table's columns passes a list's filters: equalities, then min ≤ value < max. */
export function rowMatches(
  columns: Readonly<Record<string, ArrayLike<unknown>>>,
  i: number,
  {where = {}, min = {}, max = {}}: Pick<Extract<CaseTarget, {kind: "list"}>, "where" | "min" | "max">
): boolean {
  for (const [column, value] of Object.entries(where)) if (columns[column][i] !== value) return false;
  for (const [column, bound] of Object.entries(min)) {
    const v = columns[column][i];
    if (v === null || v === undefined || Number(v) < bound) return false;
  }
  for (const [column, bound] of Object.entries(max)) {
    const v = columns[column][i];
    if (v === null || v === undefined || Number(v) >= bound) return false;
  }
  return true;
}

/** The columns a list's filters read. */
export function filterColumns(target: Extract<CaseTarget, {kind: "list"}>): string[] {
  return [
    ...new Set([...Object.keys(target.where), ...Object.keys(target.min ?? {}), ...Object.keys(target.max ?? {})])
  ];
}
