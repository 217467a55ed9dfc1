// Files read as whole JSON documents (OTLP, Langfuse, promptfoo, Inspect) are decoded by Node, which
// turns a byte that is not UTF-8 into U+FFFD without a word. The record holding it is quarantined
// naming the field, and the rest of the file is read, as the line-based readers already do.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterEach, describe, expect, test} from "vitest";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {projectRoot} from "../../../../loaders/workspace/config.js";
import {ingest} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

const real = readFileSync(join(projectRoot, "test/fixtures/real/otel-genai/instrumentation-openai.otlp.json"));

describe("a byte that is not UTF-8 in a JSON document", () => {
  test("quarantines the span that holds it, naming the field, and keeps the file's other spans", async () => {
    const doc = JSON.parse(real.toString("utf8"));
    const spans = doc.resourceSpans.flatMap((rs: {scopeSpans: {spans: {name: string}[]}[]}) =>
      rs.scopeSpans.flatMap((ss) => ss.spans)
    );
    // Rename one span to a marker, then swap the marker's bytes for a name with a 0xff byte in it.
    spans[5].name = "BAD-BYTE-HERE";
    const text = Buffer.from(JSON.stringify(doc, null, 2));
    const at = text.indexOf("BAD-BYTE-HERE");
    const bytes = Buffer.concat([
      text.subarray(0, at),
      Buffer.from("chat gpt"),
      Buffer.from([0xff]),
      Buffer.from("4.1"),
      text.subarray(at + "BAD-BYTE-HERE".length)
    ]);
    db = await ingest({"traces.otlp.json": bytes});
    const [books] = await db.query<{rows_in: number; rows_accepted: number; rows_quarantined: number}>(
      `SELECT rows_in, rows_accepted, rows_quarantined FROM sources`
    );
    expect(books).toEqual({rows_in: spans.length, rows_accepted: spans.length - 1, rows_quarantined: 1});
    const [q] = await db.query<{reason: string}>(`SELECT reason FROM quarantine`);
    expect(q.reason).toBe("name: invalid UTF-8: a byte that is not UTF-8 text (or a U+FFFD replacement character)");
  });
});
