// The value of a slice dimension (segment, feature, model, kind) that stands for every row: the
// queries write it into page data and the pages compare against it, so both read this one constant.
export const ALL = "(all)";

/** The label of a missing value (a row without a segment, model…); a filter on it means IS NULL. */
export const NONE = "(none)";

/**
 * The two labels above with what each stands for. A value spelled as one of them in the data could not be
 * told from it, so the ingest quarantines it (loaders/warehouse/validate.ts; docs/formats.md says so).
 */
export const RESERVED_LABELS = [
  {label: ALL, meaning: "all rows together"},
  {label: NONE, meaning: "a missing value"}
] as const;

/** How the pages order these labels, as DuckDB's ORDER BY on text does: by code unit, "(all)" and "(none)" before letters. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
