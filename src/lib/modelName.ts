// One model, one name. Providers answer with a dated snapshot of the model asked for (gpt-4.1 →
// gpt-4.1-2025-04-14, claude-sonnet-4 → claude-sonnet-4-20250514) and instrumentations report one or
// the other, so the pages group by the name without the date, the price table prices a snapshot as
// its model, and the snapshot stays a detail. This is the one definition both follow.

/**
 * A snapshot suffix is a release date: -2025-04-14, -20250514, @20250514 (Vertex), or OpenAI's older
 * month-day -0613 / -0125. Only a date matches, so gpt-4.1-mini never becomes gpt-4.1, and
 * mistral-large-2407 (year-month, no day) keeps its name.
 */
export const SNAPSHOT_SUFFIX = String.raw`[-@](\d{4}-\d{2}-\d{2}|\d{8}|(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]))`;

const snapshotAtEnd = new RegExp(`${SNAPSHOT_SUFFIX}$`);

/** The model a snapshot name belongs to; any other name is its own model. */
export function canonicalModel(name: string): string {
  return name.replace(snapshotAtEnd, "");
}

/** canonicalModel as a DuckDB expression over a VARCHAR column (NULL stays NULL). */
export function canonicalModelSql(column: string): string {
  return `regexp_replace(${column}, '${SNAPSHOT_SUFFIX}$', '')`;
}
