// How the eval pages read one promptfoo eval of several providers × prompts: its columns are options
// compared on the same cases, named by the provider's label, not runs that follow one another.
import {afterEach, describe, expect, test} from "vitest";
import {bakeoff} from "../../../../loaders/queries/bakeoff.js";
import {evalTriage} from "../../../../loaders/queries/evalTriage.js";
import {frontier} from "../../../../loaders/queries/frontier.js";
import {launchGate} from "../../../../loaders/queries/launchGate.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest, sharedIngest} from "../../../helpers.js";
import {realFixture} from "../../../realFixtures.js";

let db: Database | undefined;
afterEach(() => db?.close());

const TICKETS = realFixture("promptfoo/ticket-routing/results.json");
const OPTIONS = [
  "acme-7b · explain-v2",
  "acme-7b · terse-v1",
  "mini-baseline · explain-v2",
  "mini-baseline · terse-v1",
  "openai:chat:gpt-4.1-nano · explain-v2",
  "openai:chat:gpt-4.1-nano · terse-v1"
];

/** The same real eval run again a week later, under a new eval id. */
function aWeekLater(): string {
  const doc = JSON.parse(TICKETS);
  doc.evalId = "eval-later-2026-12-11T22:36:33";
  doc.results.timestamp = "2026-12-11T22:36:33.957Z";
  return JSON.stringify(doc);
}

const ticketsWarehouse = sharedIngest(() => ({"pf/results.json": TICKETS}));

describe("evalTriage(db) on one promptfoo eval of several providers × prompts", () => {
  test("does not read the eval's columns as consecutive runs: no run-to-run comparison, one side-by-side eval", async () => {
    const db = await ticketsWarehouse();
    const t = await evalTriage(db);
    // Before: the six columns, all started at the same instant, were paired in run-id order as five "changes".
    expect(t.comparisons).toEqual([]);
    expect(t.suites).toMatchObject([
      {
        suite: "Support ticket routing",
        runs: 6,
        evals: 1,
        latest: null,
        side_by_side: {eval_id: "eval-5vv-2026-12-04T22:36:33", options: 6}
      }
    ]);
    expect(t.evals).toHaveLength(1);
    expect(t.evals[0].options.map((o) => o.option).sort()).toEqual(OPTIONS);
  });

  test("compares each option with its own run in the previous eval, never with another option", async () => {
    // The later eval is dated after today: pin the reference time the future-timestamp check uses.
    db = await ingest(
      {"pf/a.json": TICKETS, "pf/b.json": aWeekLater()},
      {checks: {reference_time: "2026-12-31T00:00:00Z"}}
    );
    const t = await evalTriage(db);
    const runs = new Map(t.runs.map((r) => [r.run_id, r]));
    expect(t.comparisons).toHaveLength(6);
    for (const c of t.comparisons) {
      expect(runs.get(c.after)!.option).toBe(runs.get(c.before)!.option);
      expect(runs.get(c.before)!.eval_id).toBe("eval-5vv-2026-12-04T22:36:33");
      expect(runs.get(c.after)!.eval_id).toBe("eval-later-2026-12-11T22:36:33");
      // The same answers again: nothing regressed.
      expect([c.shared, c.regressed, c.improved]).toEqual([10, 0, 0]);
    }
  });

  test("shows promptfoo's per-result pass rate where --repeat makes it differ from the per-case verdict", async () => {
    const db = await ticketsWarehouse();
    const raw = JSON.parse(TICKETS).results.results.filter(
      (r: any) => r.provider.label === "acme-7b" && r.prompt.label === "terse-v1"
    );
    const t = await evalTriage(db);
    const acme = t.runs.find((r) => r.option === "acme-7b · terse-v1")!;
    expect(acme.result_pass).toEqual({
      rate: raw.filter((r: any) => r.success).length / raw.length,
      passes: raw.filter((r: any) => r.success).length,
      n: raw.length
    });
    // T04 and T06 pass in one repeat of two: promptfoo counts 1 of 2 each, the per-case verdict (a strict majority) fails both.
    expect(acme.pass.n).toBe(10);
    expect(acme.pass.rate).toBeLessThan(acme.result_pass!.rate!);
  });
});

describe("option names: a provider's label is the option everywhere", () => {
  /** The real two-provider export, both providers now the same model under two labels (two settings of one model). */
  function twoLabelsOneModel(): string {
    const doc = JSON.parse(realFixture("promptfoo/sample-export.json"));
    for (const r of doc.results.results)
      r.provider = {
        id: "openai:gpt-5",
        label: r.provider.id === "openai:gpt-5" ? "gpt-5 high effort" : "gpt-5 low effort"
      };
    return JSON.stringify(doc);
  }
  const suite = "Comparing OpenAI flagship and mini models performance on riddles";
  const riddlesWarehouse = sharedIngest(() => ({"riddles.json": twoLabelsOneModel()}));

  test("bake-off and frontier keep two labelled providers of one model as two options, named by their labels", async () => {
    const db = await riddlesWarehouse();
    const b = await bakeoff(db);
    // Before: one option "gpt-5 · Solve this riddle: {{riddle}}" (the latest run of model × prompt) hid the other.
    expect(b.suites[0].options.map((o) => [o.option, o.model, o.pass.n])).toEqual([
      ["gpt-5 high effort", "gpt-5", 2],
      ["gpt-5 low effort", "gpt-5", 2]
    ]);
    const f = await frontier(db);
    expect(
      f.points
        .filter((p) => p.category === "All categories")
        .map((p) => p.option)
        .sort()
    ).toEqual(["gpt-5 high effort", "gpt-5 low effort"]);
  });

  test("a launch gate picks its candidate by option name and reports it as the evidence", async () => {
    const db = await riddlesWarehouse();
    const config = configSchema.parse({
      launches: [
        {
          feature: suite,
          suite,
          candidate: {model: "gpt-5", option: "gpt-5 low effort"},
          gates: [{metric: "pass_rate", min: 0.5}]
        }
      ]
    });
    const g = await launchGate(db, {config} as never);
    expect(g.launches[0].evidence).toMatchObject({
      run_id: "eval-WJi-2025-10-01T20:08:11/gpt-5 low effort",
      option: "gpt-5 low effort",
      model: "gpt-5",
      n: 2
    });
  });
});
