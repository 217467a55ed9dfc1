// Parquet, as a warehouse or lake hands it over (Spark, BigQuery, ClickHouse, Snowflake, Trino): one
// file of a dataset, often in a Hive-partitioned folder (spans/date=2026-11-20/part-0.parquet), with
// the canonical column names or the config's renames. DuckDB reads it in place (its Parquet reader is
// built into @duckdb/node-api: no extension download), every column as text for the same SQL checks
// as every other source, numbered by row. A partition folder dated outside the build's time bounds is
// not read at all: its rows could only be quarantined, and the file is listed with why.
import type {Adapter} from "./adapter.js";
import {identifyTable, sourceColumn} from "./nativeTable.js";
import {canonicalTables} from "../schema/tables.js";
import type {TableSpec} from "../schema/fields.js";
import {quotedIdentifier, quotedString, pathLiteral, type Database} from "../warehouse/duckdb.js";
import {stagedRowsOf, stageTable} from "../warehouse/validate.js";
import type {WorkspaceFile} from "../workspace/files.js";
import type {TimeBounds} from "../schema/fields.js";

/** Every Parquet file starts (and ends) with these four bytes. */
const MAGIC = "PAR1";

/** key=value folders of the file's path, as Hive partitioning writes them. */
export function hivePartitions(name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of name.split("/").slice(0, -1)) {
    const match = /^([^=]+)=(.*)$/.exec(part);
    if (match) out[match[1]] = decodeURIComponent(match[2]);
  }
  return out;
}

/**
 * The partition's day when a date-like partition key (date, day, dt) names one: a file whose whole
 * day lies outside the bounds holds no row the build would accept.
 */
export function partitionOutside(name: string, bounds: TimeBounds | undefined): string | undefined {
  if (!bounds) return undefined;
  for (const [key, value] of Object.entries(hivePartitions(name))) {
    if (!/^(date|day|dt)$/i.test(key) || !/^\d{4}-\d{2}-\d{2}$/.test(value)) continue;
    const start = Date.parse(`${value}T00:00:00Z`);
    if (start + 86_400_000 <= Date.parse(bounds.earliest) || start > Date.parse(bounds.latest)) {
      return `partition ${key}=${value} lies outside the time bounds (${bounds.earliest} to ${bounds.latest}; checks in workbench.config.json), so it was not read`;
    }
  }
  return undefined;
}

/** The table a file fills: the config's, else a folder of its path named after a table, else its columns. */
function tableOf(file: WorkspaceFile, columns: readonly string[]): TableSpec | undefined {
  if (file.source?.table) return identifyTable([], file.source);
  const folder = file.name
    .split("/")
    .slice(0, -1)
    .find((part) => canonicalTables.some((t) => t.name === part));
  return folder ? canonicalTables.find((t) => t.name === folder) : identifyTable(columns, file.source);
}

type Column = {
  column_name: string;
  column_type: string;
};

/** A column as text the way the JSON readers would see it: ISO instants in UTC, nested values as JSON. */
function asText(column: Column): string {
  const c = quotedIdentifier(column.column_name);
  if (/^TIMESTAMP|^DATE$/.test(column.column_type)) return `strftime(${c}::TIMESTAMPTZ, '%Y-%m-%dT%H:%M:%S.%gZ')`;
  if (/[\[\]]|^STRUCT|^MAP|^UNION/.test(column.column_type)) return `to_json(${c})::VARCHAR`;
  return `${c}::VARCHAR`;
}

async function stageParquet(db: Database, file: WorkspaceFile): Promise<{table: string; rows: number}> {
  // hive_partitioning: a partition key the rows lack (date=…) is read as a column, like the engines' own readers.
  const read = `read_parquet(${pathLiteral(file.path)}, hive_partitioning = true)`;
  const columns = await db.query<Column>(`SELECT column_name,
      column_type
    FROM (
      DESCRIBE SELECT *
      FROM ${read}
    )`);
  const spec = tableOf(
    file,
    columns.map((c) => c.column_name)
  );
  if (!spec) {
    const tables = canonicalTables.map((t) => t.name).join(", ");
    throw new Error(
      `cannot tell which table its columns (${columns.map((c) => c.column_name).join(", ")}) fill: put it under a folder named after the table ` +
        `(${tables}) or name the table in a "sources" entry of workbench.config.json`
    );
  }
  const byName = new Map(columns.map((c) => [c.column_name, c]));
  const defaults = file.source?.defaults ?? {};
  const values = spec.fields.map((f) => {
    const column = byName.get(sourceColumn(f.name, file.source));
    const value = column ? asText(column) : "NULL::VARCHAR";
    return `${f.name in defaults ? `coalesce(${value}, ${quotedString(String(defaults[f.name]))})` : value} AS ${quotedIdentifier(f.name)}`;
  });
  const staged = ["source_file", "source_format", "line", "raw", "parse_error", ...spec.fields.map((f) => f.name)];
  await db.run(`INSERT INTO ${quotedIdentifier(stageTable(spec))} (${staged.map(quotedIdentifier).join(", ")})
    SELECT ${quotedString(file.name)},
      ${quotedString(parquet.name)},
      row_number() OVER ()::INTEGER,
      NULL,
      NULL,
      ${values.join(",\n      ")}
    FROM ${read}`);
  return {table: spec.name, rows: await stagedRowsOf(db, spec, file.name)};
}

export const parquet: Adapter = {
  name: "parquet",
  description:
    "Parquet files (a Hive-partitioned dataset such as spans/date=2026-11-20/part-0.parquet) with canonical column names or the config's renames",
  tables: ["eval_results", "spans", "corrections", "predictions", "flags", "assignments", "outcomes"],
  detect: (file) => file.head.startsWith(MAGIC),
  async stage(ctx, file) {
    const outside = partitionOutside(file.name, ctx.text.timeBounds);
    if (outside) throw new PartitionSkipped(outside);
    const {table, rows} = await stageParquet(ctx.db, file);
    ctx.staged(table, rows);
  }
};

/** Thrown for a partition the build does not read: listed with its reason, not quarantined. */
export class PartitionSkipped extends Error {
  override name = "PartitionSkipped";
}
