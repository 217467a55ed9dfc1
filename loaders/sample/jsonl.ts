// Native JSONL: keys in the canonical field order of the table spec, absent values omitted.
import type {TableSpec} from "../schema/fields.js";

export function canonicalLine(spec: TableSpec, row: object): string {
  const values = row as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const {name} of spec.fields)
    if (values[name] !== undefined && values[name] !== null) ordered[name] = values[name];
  return JSON.stringify(ordered);
}
