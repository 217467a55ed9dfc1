import {describe, expect, it} from "vitest";
import {
  caseHref,
  filterColumns,
  parseCaseTarget,
  rowMatches,
  type CaseTarget
} from "../../../../src/components/caseLinks.js";

const search = (href: string) => href.slice(href.indexOf("?"));

describe("caseHref(target) and parseCaseTarget(search)", () => {
  const targets: CaseTarget[] = [
    {kind: "eval", case_id: "sum-0042", run_id: undefined, before: "run a", after: "run&b"},
    {kind: "eval", case_id: "x", run_id: "r1", before: undefined, after: undefined},
    {kind: "trace", trace_id: "acd716384ba556a9218286c60798064e"},
    {kind: "correction", event_id: "evt-0004284"},
    {kind: "flag", flag_id: "<img src=x onerror=alert(1)>"},
    {
      kind: "list",
      table: "eval_results",
      where: {run_id: "r=2", passed: false},
      min: {input_chars: 10000},
      max: {input_chars: 20000}
    }
  ];
  it.each(targets)("round-trips $kind", (target) => {
    const href = caseHref(target);
    expect(href.startsWith("./case.html?kind=")).toBe(true);
    expect(parseCaseTarget(search(href))).toEqual(target);
  });

  it("names what an address lacks", () => {
    expect(parseCaseTarget("?kind=trace")).toEqual({
      error: "the address names no trace_id; open a case from a page's table."
    });
    expect(parseCaseTarget("")).toEqual({
      error: "the address names no kind of case (kind=eval, trace, correction, flag or list)."
    });
    expect(parseCaseTarget("?kind=list&table=spans")).toEqual({
      error: 'no case list of the table "spans"; one of eval_results, requests, corrections, flags.'
    });
    expect(parseCaseTarget("?kind=list&table=flags&min.age=ten")).toEqual({
      error: 'min.age must be a number, not "ten".'
    });
  });
});

describe("rowMatches(columns, i, filters)", () => {
  const columns = {
    segment: ["enterprise", "smb", "enterprise", "enterprise"],
    action: ["ignored", "ignored", "accepted", "ignored"],
    input_chars: [12000, 15000, null, 20000]
  };
  it("keeps rows equal on every where column", () => {
    const keep = [0, 1, 2, 3].filter((i) =>
      rowMatches(columns, i, {where: {segment: "enterprise", action: "ignored"}})
    );
    expect(keep).toEqual([0, 3]);
  });
  it("treats min as inclusive, max as exclusive, and an unknown value as out of range", () => {
    const keep = [0, 1, 2, 3].filter((i) =>
      rowMatches(columns, i, {where: {}, min: {input_chars: 12000}, max: {input_chars: 20000}})
    );
    expect(keep).toEqual([0, 1]);
  });
  it("reads only the columns its filters name", () => {
    expect(
      filterColumns({
        kind: "list",
        table: "requests",
        where: {feature: "a", category: "b"},
        min: {input_chars: 1},
        max: {input_chars: 2}
      })
    ).toEqual(["feature", "category", "input_chars"]);
  });
});
