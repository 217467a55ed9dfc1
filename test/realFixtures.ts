// The real tool outputs under test/fixtures/real/, read as bytes so a test can put them in a workspace.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {projectRoot} from "../loaders/workspace/config.js";

export const realFixture = (path: string): string =>
  readFileSync(join(projectRoot, "test", "fixtures", "real", path), "utf8");

export const quarantineOf = (db: {query: (sql: string) => Promise<unknown[]>}) =>
  db.query(`SELECT source_file, line, field, reason FROM quarantine ORDER BY source_file, line`);

export const sourcesOf = (db: {query: (sql: string) => Promise<unknown[]>}) =>
  db.query(`SELECT file, format, status, rows_in, rows_accepted, rows_quarantined FROM sources ORDER BY file`);
