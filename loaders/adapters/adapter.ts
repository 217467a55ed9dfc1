// What every adapter is: a test that says whether a file is its format, and a stage step that maps
// the file's records into the staging tables of the canonical model (as text, validated later in SQL).
import type {Database} from "../warehouse/duckdb.js";
import type {TextPolicy} from "../warehouse/validate.js";
import type {WorkspaceFile} from "../workspace/files.js";

export interface StageContext {
  db: Database;
  /** How free text is stored, for an adapter that accepts rows straight into a canonical table. */
  text: TextPolicy;
  /** Records how many rows the adapter staged for a table, so rows in = accepted + quarantined can be checked. */
  staged(table: string, rows: number): void;
  /**
   * Names the file's column behind a canonical field where it is not the field's own name or the
   * config's rename (a judge CSV's human_label is `label`), so a finding can name the column to fix.
   */
  columns?(table: string, columns: Record<string, string>): void;
}

export interface Adapter {
  readonly name: string;
  /** One line naming the files this adapter reads, shown when a file is not recognized. */
  readonly description: string;
  /** Canonical tables this format can fill: tells a user which file would fill an empty page. */
  readonly tables: readonly string[];
  detect(file: WorkspaceFile): boolean;
  stage(ctx: StageContext, file: WorkspaceFile): Promise<void>;
}
