// Native JSONL: one JSON object per line with canonical field names. Parsed and checked inside
// DuckDB so that a million lines stay within a small factor of DuckDB's own read_json.
import type {Adapter} from "./adapter.js";
import {identifyTable, sourceColumn} from "./nativeTable.js";
import {ident, literal} from "../warehouse/duckdb.js";
import {stageTable} from "../warehouse/validate.js";
import type {WorkspaceFile} from "../workspace/files.js";
import type {TableSpec} from "../schema/fields.js";

export function firstJsonObject(head: string): Record<string, unknown> | undefined {
  for (const line of head.split("\n").slice(0, 20)) {
    try {
      const value = JSON.parse(line);
      if (value && typeof value === "object" && !Array.isArray(value)) return value;
    } catch {
      // a malformed or cut-off line: try the next one
    }
  }
  return undefined;
}

function tableOf(file: WorkspaceFile): TableSpec | undefined {
  if (file.source?.format && file.source.format !== nativeJsonl.name) return undefined;
  const first = firstJsonObject(file.head);
  if (file.source?.table) return identifyTable([], file.source);
  return first ? identifyTable(Object.keys(first), file.source) : undefined;
}

/** Reads a text file as (line number, line) pairs; blank lines are kept so numbering stays true. */
export function linesSql(path: string): string {
  return `SELECT row_number() OVER () AS ln, raw FROM read_csv(${literal(path)}, columns = {'raw': 'VARCHAR'},
    delim = E'\\x1F', quote = '', escape = '', header = false, auto_detect = false, strict_mode = false,
    max_line_size = 100000000)`;
}

function jsonPath(key: string): string {
  return literal(`$."${key.replaceAll('"', '\\"')}"`);
}

export const nativeJsonl: Adapter = {
  name: "native-jsonl",
  description: "workbench JSONL: one object per line with canonical field names (docs/formats.md)",
  tables: ["eval_results", "spans", "corrections", "predictions", "flags"],
  detect: (file) => /\.(jsonl|ndjson|json)$/i.test(file.name) && tableOf(file) !== undefined,
  async stage(ctx, file) {
    const spec = tableOf(file)!;
    const paths = spec.fields.map((f) => jsonPath(sourceColumn(f.name, file.source)));
    const defaults = file.source?.defaults ?? {};
    const values = spec.fields.map((f, i) =>
      f.name in defaults ? `coalesce(f[${i + 1}], ${literal(String(defaults[f.name]))})` : `f[${i + 1}]`,
    );
    await ctx.db.run(`INSERT INTO ${stageTable(spec)} (source_file, source_format, line, raw, parse_error, ${spec.fields.map((f) => ident(f.name)).join(", ")})
      WITH parsed AS (
        SELECT ln, raw, coalesce(json_type(CASE WHEN json_valid(raw) THEN raw ELSE 'null' END) = 'OBJECT', false) AS ok FROM (${linesSql(file.path)})
        WHERE raw IS NOT NULL AND trim(raw) <> ''),
      extracted AS (SELECT ln, raw, ok, json_extract_string(CASE WHEN ok THEN raw ELSE '{}' END, [${paths.join(", ")}]) AS f FROM parsed)
      SELECT ${literal(file.name)}, ${literal(nativeJsonl.name)}, ln, left(raw, 400),
        CASE WHEN NOT ok THEN 'malformed JSON: expected one JSON object on this line' END,
        ${values.join(", ")}
      FROM extracted`);
    const n = await ctx.db.query<{n: number}>(`SELECT count(*)::INTEGER AS n FROM ${stageTable(spec)} WHERE source_file = $file`, {file: file.name});
    ctx.staged(spec.name, n[0].n);
  },
};
