// The traces page's cells (loaders/queries/traceCells.ts): what the build refuses to cut into blocks.
// That the cells give the build's figures for every slice is tested where the page reads them
// (test/unit/src/components/traceFilters.test.ts).
import {describe, expect, test} from "vitest";
import {seededRandom} from "../../../../src/lib/metrics/seededRandom.js";
import {traceCells} from "../../../../loaders/queries/traceCells.js";
import {ingest, jsonl} from "../../../helpers.js";

const root = (trace_id: string, feature: string) => ({
  trace_id,
  span_id: `${trace_id}-r`,
  name: "request",
  kind: "chain",
  start_time: "2026-10-05T10:00:00.000Z",
  duration_ms: 120,
  feature,
  status: "ok"
});

describe("traceCells(db)", () => {
  // The ingest keeps such a name from the pages (loaders/warehouse/validate.ts); the cells refuse it too,
  // since their merge would sum it into the roll-up over features.
  test('never meets a feature named "(all)": the ingest quarantines its request, naming the field, and the cells hold the rest', async () => {
    const db = await ingest({"spans.jsonl": jsonl(root("t1", "(all)"), root("t2", "support-chat"))});
    try {
      expect(await db.query(`SELECT line, field, reason FROM quarantine`)).toEqual([
        {
          line: 1,
          field: "feature",
          reason: 'feature: "(all)" is the name the pages give all rows together; rename it in the source'
        }
      ]);
      const {cells} = await traceCells(db);
      expect(cells.dims.feature).toEqual(["support-chat"]);
      // Were it there (written past the checks), the cells would refuse it rather than merge it.
      await db.run(`UPDATE requests SET feature = '(all)'`);
      await expect(traceCells(db)).rejects.toThrow(
        'traces: a request\'s feature is "(all)", the name the page gives all of them together; rename it'
      );
    } finally {
      db.close();
    }
  });

  test("cuts a request into the block of its segment, category, prompt version, feature, model and week", async () => {
    const db = await ingest({"spans.jsonl": jsonl(root("t1", "support-chat"), root("t2", "autocomplete"))});
    try {
      const {cells, values} = await traceCells(db);
      expect(cells.dims.feature).toEqual(["autocomplete", "support-chat"]);
      // 2026-10-05 is a Monday (1970-01-01 was a Thursday: Mondays are 4 days on, 7 apart).
      const monday = Date.parse("2026-10-05T00:00:00Z") / 86_400_000;
      expect((monday - 4) % 7).toBe(0);
      expect(cells.blocks.week).toEqual([monday, monday]);
      expect(cells.days.day).toEqual([0, 0]);
      expect(values).toHaveLength(2);
      expect(cells.blocks.bytes).toEqual(values.map((v) => JSON.stringify(v).length));
    } finally {
      db.close();
    }
  });

  // Two cold builds must write the same bytes. DuckDB aggregates in no fixed order (its threads, and the
  // order the ingest left the rows in), and floating-point addition depends on the order.
  test("gives the same bytes whatever order the spans were ingested in", async () => {
    const random = seededRandom(34);
    const spans = Array.from({length: 300}, (_, i) => {
      const trace_id = `t${String(i).padStart(3, "0")}`;
      // One block, answered under three names: its snapshot pairs have an order to get wrong.
      const model = ["gpt-4.1", "gpt-4.1-2025-04-14", "gpt-4.1-2025-05-14"][i % 3];
      const call = {
        trace_id,
        span_id: `${trace_id}-c`,
        parent_span_id: `${trace_id}-r`,
        name: "answer",
        kind: "llm",
        start_time: "2026-10-05T10:00:01.000Z",
        duration_ms: 100,
        model,
        cost_usd: Math.round(random() * 1e7) / 1e9,
        status: "ok"
      };
      return [root(trace_id, "support-chat"), call];
    });
    const cellsOf = async (traces: object[][]) => {
      const db = await ingest({"spans.jsonl": jsonl(...traces.flat())});
      try {
        return JSON.stringify(await traceCells(db));
      } finally {
        db.close();
      }
    };
    expect(await cellsOf([...spans].reverse())).toBe(await cellsOf(spans));
  });
});
