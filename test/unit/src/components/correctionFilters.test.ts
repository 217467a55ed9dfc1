import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {correctionsPage} from "../../../../loaders/queries/corrections.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {
  countGroupsSql,
  filterOptions,
  filteredEventsSource,
  filteredEventsSql,
  filterWhereSql,
  isFiltered,
  NO_FILTER,
  readFilter,
  slicedCorrections,
  writeFilter,
  type CorrectionFilter,
  type CountGroup
} from "../../../../src/components/correctionFilters.js";
import {editBinsSql, editDistanceFigures, editStatsSql, examplesSql} from "../../../../src/lib/correctionEdits.js";
import {ingest, jsonl, sharedIngest} from "../../../helpers.js";

// A small seeded mix: three segments (one missing), two features, two categories (one with a quote),
// three weeks; enterprise ignores autocomplete far more often, as the sample plants it.
function events(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const segments = ["enterprise", "smb", null];
  const days = ["2026-11-02T09:00:00Z", "2026-11-10T23:30:00Z", "2026-11-16T00:00:00Z"];
  for (let i = 0; i < 600; i++) {
    const segment = segments[i % 3];
    const feature = i % 5 === 0 ? "support-chat" : "autocomplete";
    const ignoreRate = feature === "autocomplete" && segment === "enterprise" ? 0.4 : 0.1;
    const r = next();
    const action =
      r < ignoreRate ? "ignored" : r < ignoreRate + 0.15 ? "edited" : r < ignoreRate + 0.2 ? "rejected" : "accepted";
    out.push({
      event_id: `e${i}`,
      at: days[i % 3 === 0 ? (i >> 1) % 3 : i % 3],
      feature,
      model: i % 2 ? "gemini-2.5-flash" : "gpt-4.1-mini",
      prompt_version: i % 4 ? "v2" : "v1",
      ...(segment ? {segment} : {}),
      category: i % 7 ? "billing" : "o'brien",
      action
    });
  }
  return out;
}

const rows = events();
let all: Database;
beforeAll(async () => {
  all = await ingest({"c.jsonl": jsonl(...rows)});
});
afterAll(() => all?.close());

async function groups(db: Database, filter: CorrectionFilter): Promise<CountGroup[]> {
  return (await db.query(countGroupsSql(filter))) as unknown as CountGroup[];
}

/** What the build prints for a workspace holding only `kept` rows. */
async function buildOf(kept: Record<string, unknown>[]) {
  const db = await ingest({"c.jsonl": jsonl(...kept)});
  try {
    const p = await correctionsPage(db);
    return {
      events: p.events,
      features: p.features,
      overall: p.overall,
      byDimension: p.byDimension,
      hotSpots: p.hotSpots
    };
  } finally {
    db.close();
  }
}

describe("slicedCorrections(groups)", () => {
  test("unfiltered, equals the build's rates, slices and hot spots", async () => {
    const sliced = slicedCorrections(await groups(all, NO_FILTER));
    expect(sliced).toEqual(await buildOf(rows));
    expect(sliced.hotSpots.map((s) => [s.feature, s.dimension, s.value, s.action])).toContainEqual([
      "autocomplete",
      "segment",
      "enterprise",
      "ignored"
    ]);
  });

  test("filtered to enterprise, equals the build over a workspace of enterprise rows only", async () => {
    const sliced = slicedCorrections(await groups(all, {...NO_FILTER, segment: "enterprise"}));
    expect(sliced).toEqual(await buildOf(rows.filter((r) => r.segment === "enterprise")));
    const ignored = sliced.overall.find((r) => r.feature === "autocomplete")!.ignored;
    expect(ignored.rate).toBeGreaterThan(0.3);
  });

  test("the missing segment, a quoted category, a model and a window of weeks each select what the build would count", async () => {
    const cases: [Partial<CorrectionFilter>, (r: Record<string, unknown>) => boolean][] = [
      [{segment: "(none)"}, (r) => r.segment === undefined],
      [{category: "o'brien", model: "gpt-4.1-mini"}, (r) => r.category === "o'brien" && r.model === "gpt-4.1-mini"],
      [{from: "2026-11-09", to: "2026-11-09"}, (r) => String(r.at).startsWith("2026-11-10")],
      [{from: "2026-11-09"}, (r) => !String(r.at).startsWith("2026-11-02")]
    ];
    for (const [filter, keep] of cases) {
      const kept = rows.filter(keep);
      expect(kept.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(slicedCorrections(await groups(all, {...NO_FILTER, ...filter})), JSON.stringify(filter)).toEqual(
        await buildOf(kept)
      );
    }
  });
});

describe("the edit distances and examples of a filtered slice", () => {
  // The edited events get texts: a few repeat (one example per distinct pair), some report their own
  // distance and the rest have it computed at ingest.
  const edits = rows.map((r, i) =>
    r.action === "edited"
      ? {
          ...r,
          original_text: `Reply ${i % 11} about ${r.category} for ${r.segment ?? "anyone"}`,
          edited_text: `Reply ${i % 11} about ${r.category}${i % 3 ? ", reworded" : ""}${"!".repeat(i % 7)}`,
          ...(i % 4 === 0 ? {edit_distance: (i % 10) / 10} : {})
        }
      : r
  );
  const cases: [Partial<CorrectionFilter>, (r: Record<string, unknown>) => boolean][] = [
    [{segment: "enterprise"}, (r) => r.segment === "enterprise"],
    [{segment: "(none)", model: "gpt-4.1-mini"}, (r) => r.segment === undefined && r.model === "gpt-4.1-mini"],
    [{from: "2026-11-09"}, (r) => !String(r.at).startsWith("2026-11-02")]
  ];
  // Every case reads the whole workspace unchanged: one ingest for the three.
  const wholeWorkspace = sharedIngest(() => ({"c.jsonl": jsonl(...edits)}));
  test.each(cases)("%j equal the build over a workspace of that slice only", async (filter, keep) => {
    const whole = await wholeWorkspace();
    const only = await ingest({"c.jsonl": jsonl(...edits.filter(keep))});
    try {
      const events = filteredEventsSource({...NO_FILTER, ...filter});
      const sliced = {
        editDistance: editDistanceFigures(
          await whole.query(editBinsSql(events)),
          await whole.query(editStatsSql(events))
        ),
        examples: await whole.query(examplesSql(events))
      };
      const build = await correctionsPage(only);
      expect(sliced).toEqual({editDistance: build.editDistance, examples: build.examples});
      // Something to compare: the slice has edits, examples, and fewer of them than all events.
      const all = await correctionsPage(whole);
      expect(build.editDistance.stats[0].n).toBeGreaterThan(0);
      expect(build.editDistance.stats[0].n).toBeLessThan(all.editDistance.stats[0].n);
      expect(build.examples.length).toBeGreaterThan(0);
    } finally {
      only.close();
    }
  });
});

describe("filteredEventsSql(filter, feature)", () => {
  test("selects exactly the slice's events of the feature, in time order", async () => {
    const got = await all.query<{event_id: string}>(
      filteredEventsSql({...NO_FILTER, segment: "enterprise"}, "autocomplete")
    );
    const want = rows.filter((r) => r.segment === "enterprise" && r.feature === "autocomplete").map((r) => r.event_id);
    expect(got.map((r) => r.event_id).sort()).toEqual([...want].sort());
    expect((await all.query(filteredEventsSql(NO_FILTER, "(all)"))).length).toBe(rows.length);
  });
});

describe("the filter in the URL", () => {
  const options = filterOptions({
    segment: [
      {feature: "(all)", value: "enterprise"},
      {feature: "autocomplete", value: "smb"}
    ],
    week: [{feature: "(all)", value: "2026-11-02"}]
  });

  test("readFilter keeps offered values only, and writeFilter round-trips it keeping other parameters", () => {
    const filter = readFilter("?feature=autocomplete&segment=enterprise&model=nope&from=2026-11-02", options);
    expect(filter).toEqual({...NO_FILTER, segment: "enterprise", from: "2026-11-02"});
    expect(isFiltered(filter)).toBe(true);
    expect(isFiltered(readFilter("?segment=smb", options))).toBe(false);
    const search = writeFilter(filter, "?feature=autocomplete&segment=smb&category=x");
    expect(search).toBe("?feature=autocomplete&segment=enterprise&from=2026-11-02");
    expect(readFilter(search, options)).toEqual(filter);
    expect(writeFilter(NO_FILTER, "?segment=enterprise")).toBe("");
  });

  test("filterWhereSql quotes what the URL brought", () => {
    expect(filterWhereSql({...NO_FILTER, category: "x' OR 1=1 --"})).toBe(
      `WHERE "category"::VARCHAR = 'x'' OR 1=1 --'`
    );
    expect(filterWhereSql(NO_FILTER)).toBe("");
  });
});
