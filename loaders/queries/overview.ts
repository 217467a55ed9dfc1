// What data is loaded: per canonical table and per source file, rows accepted and quarantined and
// the time span. The overview page and the data-quality page both read this.
import {fillHint} from "../adapters/index.js";
import {canonicalTables} from "../schema/tables.js";
import {quotedIdentifier, type Database} from "../warehouse/duckdb.js";
import type {LabelSpelling} from "../warehouse/labelSpellings.js";
import type {Workspace} from "../workspace/config.js";
import {sharedOr, type SharedResults} from "../pages/shared.js";
import {basename} from "node:path";

export interface TableSummary {
  table: string;
  doc: string;
  rows: number;
  quarantined: number;
  first_at: string | null;
  last_at: string | null;
  hint: string | null;
}

/** A canonical table's accepted rows and the span of its time field (null when it has none). */
type TableRowsRow = {rows: number; first_at: string | null; last_at: string | null};

/** The quarantined rows of one canonical table. */
type QuarantinedCountRow = {quarantined: number};

export async function tableSummaries(db: Database): Promise<TableSummary[]> {
  const out: TableSummary[] = [];
  for (const t of canonicalTables) {
    const time = t.timeField
      ? `min(${quotedIdentifier(t.timeField)}) AS first_at,
      max(${quotedIdentifier(t.timeField)}) AS last_at`
      : `NULL AS first_at,
      NULL AS last_at`;
    const [row] = await db.query<TableRowsRow>(`SELECT count(*)::INTEGER AS rows,
      ${time}
    FROM ${quotedIdentifier(t.name)}`);
    const [{quarantined}] = await db.query<QuarantinedCountRow>(
      `SELECT count(*)::INTEGER AS quarantined
      FROM quarantine
      WHERE table_name = $t`,
      {t: t.name}
    );
    out.push({table: t.name, doc: t.doc, ...row, quarantined, hint: row.rows === 0 ? fillHint(t.name) : null});
  }
  return out;
}

/** One row of `sources`: a file, the table it fed, and its rows in = accepted + quarantined. */
export type SourceFile = {
  file: string;
  format: string | null;
  status: string;
  message: string | null;
  table_name: string | null;
  rows_in: number;
  rows_accepted: number;
  rows_quarantined: number;
  first_at: string | null;
  last_at: string | null;
};

export type OverviewTotals = {
  files: number;
  rows_in: number;
  rows_accepted: number;
  rows_quarantined: number;
  files_not_read: number;
};

/** The earliest and latest timestamp of any file read. */
export type OverviewSpan = {first_at: string | null; last_at: string | null};

export interface OverviewPage {
  product: string;
  workspace: string;
  totals: OverviewTotals;
  span: OverviewSpan;
  tables: TableSummary[];
  files: SourceFile[];
}

/**
 * `shared`: in a build, the table summaries the brief reuses as well (loaders/brief/inputs.ts), so
 * their 14 queries run once when home and the brief are both computed.
 */
export async function overview(db: Database, workspace: Workspace, shared?: SharedResults): Promise<OverviewPage> {
  const files = await db.query<SourceFile>(`SELECT *
    FROM sources
    ORDER BY file, table_name`);
  const [totals] = await db.query<OverviewTotals>(`SELECT count(DISTINCT file)::INTEGER AS files,
      coalesce(sum(rows_in), 0)::INTEGER AS rows_in,
      coalesce(sum(rows_accepted), 0)::INTEGER AS rows_accepted,
      coalesce(sum(rows_quarantined), 0)::INTEGER AS rows_quarantined,
      count(DISTINCT file) FILTER (WHERE status IN ('unrecognized', 'failed', 'refused', 'unreadable'))::INTEGER
        AS files_not_read
    FROM sources`);
  const [span] = await db.query<OverviewSpan>(`SELECT min(first_at) AS first_at,
      max(last_at) AS last_at
    FROM sources`);
  return {
    product: workspace.config.product?.name ?? "AI product",
    workspace: basename(workspace.root),
    totals,
    span,
    tables: await sharedOr(shared, tableSummaries, db, workspace),
    files
  };
}

/** Quarantined rows of one file and field: how many, from which line, and one reason. */
export type QuarantineGroup = {
  source_file: string;
  table_name: string | null;
  field: string;
  rows: number;
  first_line: number | null;
  example_reason: string;
};

/** One quarantined row, as the data-quality page lists it. */
export type QuarantinedRow = {
  source_file: string;
  line: number | null;
  table_name: string | null;
  field: string | null;
  reason: string;
  raw_excerpt: string | null;
};

/** A file that was not read into any table, and why. */
export type NotRead = {
  file: string;
  status: string;
  message: string | null;
};

/** Every quarantined row, counted. */
type QuarantineTotalRow = {total: number};

export interface QuarantinePage {
  total: number;
  shown: number;
  groups: QuarantineGroup[];
  rows: QuarantinedRow[];
  notRead: NotRead[];
  labelSpellings: LabelSpelling[];
}

export async function quarantineReport(db: Database, limit = 5000): Promise<QuarantinePage> {
  const groups = await db.query<QuarantineGroup>(`SELECT source_file,
      table_name,
      coalesce(field, '(whole row)') AS field,
      count(*)::INTEGER AS rows,
      min(line)::INTEGER AS first_line,
      any_value(reason ORDER BY line) AS example_reason
    FROM quarantine
    GROUP BY ALL
    ORDER BY rows DESC, source_file, field`);
  const rows = await db.query<QuarantinedRow>(`SELECT source_file,
      line,
      table_name,
      field,
      reason,
      raw_excerpt
    FROM quarantine
    ORDER BY source_file, line NULLS FIRST
    LIMIT ${Math.floor(limit)}`);
  const [{total}] = await db.query<QuarantineTotalRow>(`SELECT count(*)::INTEGER AS total
    FROM quarantine`);
  const notRead = await db.query<NotRead>(`SELECT file,
      status,
      message
    FROM sources
    WHERE status IN ('unrecognized', 'failed', 'refused', 'unreadable', 'empty', 'skipped')
    ORDER BY file`);
  const labelSpellings = await db.query<LabelSpelling>(`SELECT *
    FROM label_spellings
    ORDER BY source_file, task, field, spelling`);
  return {total, shown: rows.length, groups, rows, notRead, labelSpellings};
}
