// The workbench's native formats carry the canonical field names, so which table a file fills can be
// read from its keys (or CSV header); a config entry may name the table and rename columns instead.
import {canonicalTables} from "../schema/tables.js";
import type {TableSpec} from "../schema/fields.js";
import type {SourceConfig} from "../workspace/files.js";

/** Keys whose joint presence identifies each canonical table, checked in this order. */
const signatures: ReadonlyArray<[string, readonly string[]]> = [
  ["eval_results", ["run_id", "case_id"]],
  ["spans", ["trace_id", "span_id"]],
  ["corrections", ["event_id", "action"]],
  ["flags", ["flag_id", "severity"]],
  ["predictions", ["task", "kind", "label"]],
  ["assignments", ["unit_id", "variant"]],
  ["outcomes", ["unit_id", "metric", "value"]]
];

export function identifyTable(keys: readonly string[], source?: SourceConfig): TableSpec | undefined {
  const name =
    source?.table ??
    signatures.find(([, required]) => required.every((k) => keys.includes(sourceColumn(k, source))))?.[0];
  return canonicalTables.find((t) => t.name === name);
}

/** The column in the file that holds a canonical field. */
export function sourceColumn(field: string, source?: SourceConfig): string {
  return source?.columns?.[field] ?? field;
}
