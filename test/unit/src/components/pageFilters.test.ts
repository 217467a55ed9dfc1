import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {filterWhereSql} from "../../../../src/components/filterSql.js";
import {filterSuffix, isFiltered, noFilter, readFilter, writeFilter} from "../../../../src/components/pageFilters.js";
import {ingest, jsonl} from "../../../helpers.js";
import {ALL} from "../../../../src/lib/all.js";

const options = {
  segment: ["enterprise", "smb", "(none)"],
  model: ["gpt-4.1"],
  from: ["2026-11-02", "2026-11-09"],
  to: ["2026-11-02", "2026-11-09"]
};

describe("readFilter(search, options) and writeFilter(filter, search)", () => {
  test("keep only offered keys and values, and round-trip other parameters untouched", () => {
    const filter = readFilter("?feature=autocomplete&segment=enterprise&model=nope&from=2026-11-09&x=1", options);
    expect(filter).toEqual({...noFilter(Object.keys(options)), segment: "enterprise", from: "2026-11-09"});
    expect(isFiltered(filter)).toBe(true);
    expect(isFiltered(noFilter(["segment"]))).toBe(false);
    const search = writeFilter(filter, "?feature=autocomplete&model=gpt-4.1&x=1");
    expect(search).toBe("?feature=autocomplete&x=1&segment=enterprise&from=2026-11-09");
    expect(readFilter(search, options)).toEqual(filter);
    expect(writeFilter(noFilter(["segment"]), "?segment=smb")).toBe("");
  });

  test("filterSuffix names the set keys, unsafe characters replaced", () => {
    expect(filterSuffix({segment: "a b/c", model: "(all)", from: "2026-11-02"})).toBe("-segment-a_b_c-from-2026-11-02");
    expect(filterSuffix(noFilter(["segment"]))).toBe("");
  });
});

describe("filterWhereSql(filter, spec)", () => {
  const spec = {columns: {segment: "segment", model: "model"}, time: {column: "at", bucket: "7 DAY"}};
  let db: Database;
  beforeAll(async () => {
    db = await ingest({
      "c.jsonl": jsonl(
        {event_id: "a", at: "2026-11-01T23:59:59Z", feature: "f", action: "accepted", segment: "enterprise"},
        {event_id: "b", at: "2026-11-02T00:00:00Z", feature: "f", action: "accepted", segment: "enterprise"},
        {event_id: "c", at: "2026-11-08T23:59:59Z", feature: "f", action: "accepted", segment: "o'brien"},
        {event_id: "d", at: "2026-11-09T00:00:00Z", feature: "f", action: "accepted"},
        {event_id: "e", at: "2026-11-16T00:00:00Z", feature: "f", action: "accepted", segment: "enterprise"}
      )
    });
  });
  afterAll(() => db?.close());
  const kept = async (filter: Record<string, string>) =>
    (
      await db.query<{event_id: string}>(
        `SELECT event_id FROM corrections ${filterWhereSql({...noFilter(["segment", "model", "from", "to"]), ...filter}, spec)} ORDER BY 1`
      )
    ).map((r) => r.event_id);

  test("a window of buckets keeps from the first bucket's start to the end of the last", async () => {
    expect(await kept({from: "2026-11-02", to: "2026-11-02"})).toEqual(["b", "c"]);
    expect(await kept({from: "2026-11-09"})).toEqual(["d", "e"]);
    expect(await kept({to: "2026-11-02"})).toEqual(["a", "b", "c"]);
  });

  test("(none) is the missing value, and a quote in a value stays inside its literal", async () => {
    expect(await kept({segment: "(none)"})).toEqual(["d"]);
    expect(await kept({segment: "o'brien"})).toEqual(["c"]);
    expect(filterWhereSql({segment: "x' OR 1=1 --"}, spec)).toBe(`WHERE "segment"::VARCHAR = 'x'' OR 1=1 --'`);
    expect(filterWhereSql(noFilter(["segment", "from"]), spec)).toBe("");
  });
});

const fixedKeys = ["category", "tag"] as const;
const fixedChoices = {category: ["billing", "a&b"], tag: ["long-input"]};

describe("readFilter and writeFilter over a page's fixed keys (eval triage, bake-off)", () => {
  test("round-trip a filter through the URL and keep the other parameters", () => {
    const filter = {category: "a&b", tag: "long-input"};
    const search = writeFilter(filter, "?suite=s&category=billing");
    expect(search).toBe("?suite=s&category=a%26b&tag=long-input");
    expect(readFilter(search, fixedChoices)).toEqual(filter);
    expect(writeFilter(noFilter(fixedKeys), search)).toBe("?suite=s");
    expect(writeFilter(noFilter(fixedKeys), "?category=billing")).toBe("");
  });

  test("ignore a value the page does not offer", () => {
    expect(readFilter("?category=nope&tag=long-input", fixedChoices)).toEqual({
      category: ALL,
      tag: "long-input"
    });
  });
});

describe("isFiltered and filterNameSuffix", () => {
  test("tell a filtered view from the unfiltered one and name it in a file name", () => {
    expect(isFiltered(noFilter(fixedKeys))).toBe(false);
    expect(isFiltered({category: "billing", tag: ALL})).toBe(true);
    expect(filterSuffix({category: "a&b", tag: ALL})).toBe("-category-a_b");
  });
});
