// How a table's Arrow columns become a DuckDB-wasm table, with text of few distinct values (a span's
// model, kind, segment) stored as byte codes. DuckDB-wasm inserts an Arrow Dictionary column as
// VARCHAR, writing each row's text into its string storage: at 2M spans that was the larger part of
// the model column's insert, in WebAssembly that is still being compiled on a page's first large query
// (docs/explore.md, "Measured"). So such a column is inserted as its codes (TINYINT), into a table of its
// own name with `$coded` after it, and the table's name is a view that turns each code back into its
// text (a list of the values, indexed by code): a query sees the same columns, in the same order, of
// the same types, and the same values.
import {
  DataType,
  makeData,
  makeVector,
  Table,
  tableToIPC,
  type Dictionary,
  type Int8,
  type Utf8,
  type Vector
} from "apache-arrow";

/** At most this many distinct values are coded: a code is the Dictionary's Int8 index, and each value is a literal in the view's SQL. */
export const MAX_CODED_VALUES = 127;

/** The connection calls used here: DuckDB-wasm's async connection on the pages, its blocking one in the tests. */
export interface InsertConnection {
  query(sql: string): unknown;
  insertArrowFromIPCStream(buffer: Uint8Array, options: {name: string; create: boolean}): unknown;
}

/**
 * A column's distinct values, in code order, when it is text coded in a byte (an Arrow Dictionary of
 * Utf8 with Int8 indices, as parquetPlain.ts reads a column of few values) whose values can each be
 * written as a SQL literal; else null, and the column is inserted as it is.
 */
export function codedValues(vector: Vector): string[] | null {
  if (!DataType.isDictionary(vector.type) || vector.data.length !== 1) return null;
  const type = vector.type as Dictionary<Utf8, Int8>;
  if (!DataType.isUtf8(type.dictionary) || type.indices.bitWidth !== 8 || !type.indices.isSigned) return null;
  const values = vector.data[0].dictionary?.toArray() as (string | null)[] | undefined;
  if (!values || values.length === 0 || values.length > MAX_CODED_VALUES) return null;
  // A NUL cannot be written inside a SQL literal; such text keeps its string storage.
  return values.every((v) => typeof v === "string" && !v.includes("\0")) ? (values as string[]) : null;
}

/** The dictionary column's codes alone, as an Int8 vector with the same validity (no copy). */
function codesOf(vector: Vector): Vector {
  const data = vector.data[0];
  return makeVector(
    makeData({
      type: (vector.type as Dictionary<Utf8, Int8>).indices,
      length: data.length,
      nullCount: data.nullCount,
      nullBitmap: data.nullCount > 0 ? data.nullBitmap : null,
      data: data.values as Int8Array
    })
  );
}

const identifier = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The name of the table holding a coded table's rows. */
export const codedTableName = (name: string) => `${name}$coded`;

/**
 * The view giving back a coded table's text: every column in order, a coded one as its value looked
 * up by code (DuckDB's lists count from 1; a NULL code gives NULL).
 */
export function codedViewSql(name: string, columns: readonly {name: string; values: string[] | null}[]): string {
  const select = columns.map(({name: column, values}) =>
    values
      ? `[${values.map(literal).join(", ")}][${identifier(column)} + 1] AS ${identifier(column)}`
      : identifier(column)
  );
  return `CREATE VIEW ${identifier(name)} AS SELECT ${select.join(", ")} FROM ${identifier(codedTableName(name))}`;
}

/**
 * Inserts `table` as DuckDB's `name`, replacing what was there (a table, or a coded table and its
 * view): rows in order. `before` says whether the previous insert of this name coded it; the result,
 * whether this one did.
 * The IPC bytes, not the Table, go to DuckDB-wasm: this module's apache-arrow is not the copy inside its bundle.
 */
export async function insertTable(
  connection: InsertConnection,
  name: string,
  table: Table,
  before = false
): Promise<boolean> {
  const columns = table.schema.fields.map((field) => {
    const vector = table.getChild(field.name)!;
    return {name: field.name, vector, values: codedValues(vector)};
  });
  const coded = columns.some((c) => c.values);
  if (before) {
    await connection.query(`DROP VIEW IF EXISTS ${identifier(name)}`);
    await connection.query(`DROP TABLE IF EXISTS ${identifier(codedTableName(name))}`);
  } else await connection.query(`DROP TABLE IF EXISTS ${identifier(name)}`);
  if (!coded) {
    await connection.insertArrowFromIPCStream(tableToIPC(table, "stream"), {name, create: true});
    return false;
  }
  const stored = new Table(Object.fromEntries(columns.map((c) => [c.name, c.values ? codesOf(c.vector) : c.vector])));
  await connection.insertArrowFromIPCStream(tableToIPC(stored, "stream"), {name: codedTableName(name), create: true});
  await connection.query(codedViewSql(name, columns));
  return true;
}
