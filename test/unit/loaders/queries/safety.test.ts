import {afterEach, describe, expect, test} from "vitest";
import {safetyPage} from "../../../../loaders/queries/safety.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest, jsonl, sharedIngest} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

const flag = (id: string, at: string, over: Record<string, unknown> = {}) => ({
  flag_id: id,
  at,
  feature: "ticket-summarization",
  category: "hallucination",
  severity: "medium",
  root_cause: "capability",
  status: "resolved",
  decision: "added the case to the golden suite",
  ...over
});

const files = {
  "flags.jsonl": jsonl(
    flag("f1", "2026-11-02T10:00:00Z"),
    flag("f2", "2026-11-03T10:00:00Z", {root_cause: "prompt", decision: "prompt fix shipped"}),
    flag("f3", "2026-11-10T10:00:00Z", {status: "open", decision: undefined, severity: "low", root_cause: "prompt"}),
    flag("f4", "2026-11-12T10:00:00Z", {
      status: "open",
      decision: undefined,
      severity: "critical",
      category: "pii-leak",
      root_cause: "policy",
      excerpt: "mail me at jo@example.com"
    }),
    flag("f5", "2026-11-18T10:00:00Z", {
      status: "open",
      decision: undefined,
      severity: "critical",
      feature: "support-chat",
      root_cause: undefined
    })
  )
};

const safetyWarehouse = sharedIngest(() => files);

describe("safetyPage", () => {
  test("counts flags by feature, category, severity, root cause and status", async () => {
    const db = await safetyWarehouse();
    const p = await safetyPage(db);
    expect(p.totals).toEqual({
      flags: 5,
      open: 3,
      first_at: "2026-11-02T10:00:00.000Z",
      last_at: "2026-11-18T10:00:00.000Z"
    });
    expect(p.groups).toEqual([
      {
        feature: "support-chat",
        category: "hallucination",
        severity: "critical",
        root_cause: "unknown",
        status: "open",
        n: 1
      },
      {
        feature: "ticket-summarization",
        category: "hallucination",
        severity: "low",
        root_cause: "prompt",
        status: "open",
        n: 1
      },
      {
        feature: "ticket-summarization",
        category: "hallucination",
        severity: "medium",
        root_cause: "capability",
        status: "resolved",
        n: 1
      },
      {
        feature: "ticket-summarization",
        category: "hallucination",
        severity: "medium",
        root_cause: "prompt",
        status: "resolved",
        n: 1
      },
      {
        feature: "ticket-summarization",
        category: "pii-leak",
        severity: "critical",
        root_cause: "policy",
        status: "open",
        n: 1
      }
    ]);
  });

  test("gives root-cause shares with Wilson intervals for every filter the page offers", async () => {
    const db = await safetyWarehouse();
    const p = await safetyPage(db);
    const share = (feature: string, status: string, category: string, cause: string) =>
      p.rootCauseShares.find(
        (r) => r.feature === feature && r.status === status && r.category === category && r.root_cause === cause
      )?.share;
    // statsmodels proportion_confint(2, 5, method="wilson") = (0.117621, 0.769276)
    expect(share("(all)", "(all)", "(all)", "prompt")).toEqual({
      rate: 0.4,
      n: 5,
      successes: 2,
      low: 0.117621,
      high: 0.769276
    });
    expect(share("ticket-summarization", "open", "hallucination", "prompt")).toEqual({
      rate: 1,
      n: 1,
      successes: 1,
      low: 0.206549,
      high: 1
    });
    expect(share("support-chat", "resolved", "(all)", "prompt")).toBeUndefined();
  });

  test("lists open flags most severe first, then oldest, aged to the newest flag, with excerpts redacted", async () => {
    const db = await safetyWarehouse();
    const {open} = await safetyPage(db);
    expect(open.total).toBe(3);
    expect(open.rows.map((r: any) => [r.flag_id, r.severity, r.age_days, r.excerpt])).toEqual([
      ["f4", "critical", 6, "mail me at [email]"],
      ["f5", "critical", 0, null],
      ["f3", "low", 8, null]
    ]);
  });

  test("keeps decisions and weekly counts", async () => {
    const db = await safetyWarehouse();
    const p = await safetyPage(db);
    expect(p.decisions).toEqual([
      {feature: "ticket-summarization", root_cause: "capability", decision: "added the case to the golden suite", n: 1},
      {feature: "ticket-summarization", root_cause: "prompt", decision: "prompt fix shipped", n: 1}
    ]);
    expect(p.weekly.map((w: any) => [w.week, w.feature, w.category, w.n])).toEqual([
      ["2026-11-02", "ticket-summarization", "hallucination", 2],
      ["2026-11-09", "ticket-summarization", "hallucination", 1],
      ["2026-11-09", "ticket-summarization", "pii-leak", 1],
      ["2026-11-16", "support-chat", "hallucination", 1]
    ]);
  });

  test("counts flags per UTC day, for the findings' before/after weighing", async () => {
    const db = await safetyWarehouse();
    const p = await safetyPage(db);
    expect(p.daily.map((d) => [d.day, d.feature, d.category, d.n])).toEqual([
      ["2026-11-02", "ticket-summarization", "hallucination", 1],
      ["2026-11-03", "ticket-summarization", "hallucination", 1],
      ["2026-11-10", "ticket-summarization", "hallucination", 1],
      ["2026-11-12", "ticket-summarization", "pii-leak", 1],
      ["2026-11-18", "support-chat", "hallucination", 1]
    ]);
  });

  test("names each open flag's prompt version: its trace's, else the newest live for its feature and model then", async () => {
    const span = (trace_id: string, start_time: string, model: string, prompt_version: string) => ({
      trace_id,
      span_id: "root",
      name: "summarize",
      kind: "llm",
      start_time,
      duration_ms: 900,
      feature: "ticket-summarization",
      model,
      prompt_version
    });
    db = await ingest({
      "flags.jsonl": jsonl(
        flag("a", "2026-11-05T10:00:00Z", {status: "open", decision: undefined, model: "gpt-4.1-mini"}),
        flag("b", "2026-11-12T10:00:00Z", {status: "open", decision: undefined, model: "gpt-4.1-mini"}),
        flag("c", "2026-11-13T10:00:00Z", {status: "open", decision: undefined, model: "gpt-4.1-mini", trace_id: "t1"}),
        flag("d", "2026-11-14T10:00:00Z", {status: "open", decision: undefined, model: "gpt-4.1"}),
        flag("e", "2026-11-15T10:00:00Z", {status: "open", decision: undefined})
      ),
      "spans.jsonl": jsonl(
        span("t1", "2026-11-01T10:00:00Z", "gpt-4.1-mini", "sum-v3"),
        span("t2", "2026-11-11T10:00:00Z", "gpt-4.1-mini", "sum-v4"),
        span("t3", "2026-11-12T10:00:00Z", "claude-sonnet-4", "sum-v5")
      )
    });
    const {open} = await safetyPage(db);
    expect(open.rows.map((r) => [r.flag_id, r.prompt_version, r.prompt_source])).toEqual([
      ["a", "sum-v3", "live then"],
      ["b", "sum-v4", "live then"],
      // Its own trace ran sum-v3, though sum-v4 was the newest version live.
      ["c", "sum-v3", "trace"],
      // No span of gpt-4.1 on this feature, and no model: nothing to infer.
      ["d", null, null],
      ["e", null, null]
    ]);
  });
});
