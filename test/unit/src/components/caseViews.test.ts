import {describe, expect, it} from "vitest";
import {describeFilters, fmtField, fmtTime, wordDiff} from "../../../../src/components/caseViews.js";

describe("wordDiff(before, after)", () => {
  const before = "The refund is on its way.";
  const after = "The refund was declined, sorry.";
  const parts = wordDiff(before, after);
  it("joins back to each text", () => {
    expect(
      parts
        .filter((p) => p.change !== "added")
        .map((p) => p.text)
        .join("")
    ).toBe(before);
    expect(
      parts
        .filter((p) => p.change !== "removed")
        .map((p) => p.text)
        .join("")
    ).toBe(after);
  });
  it("marks whole words", () => {
    expect(parts.filter((p) => p.change === "removed").map((p) => p.text.trim())).toContain("is");
    expect(parts.filter((p) => p.change === "added").map((p) => p.text.trim())).toContain("declined,");
    expect(parts.find((p) => p.change === "same")!.text).toBe("The refund ");
  });
});

describe("fmtField(column, value)", () => {
  it("formats by what the column holds", () => {
    expect(fmtField("latency_ms", 2190)).toBe("2.19 s");
    expect(fmtField("cost_usd", 0.00123)).toBe("$0.00123");
    expect(fmtField("input_tokens", 12400n)).toBe("12,400");
    expect(fmtField("score", 0.5)).toBe("0.500");
    expect(fmtField("passed", false)).toBe("no");
    expect(fmtField("reason", null)).toBe("—");
    expect(fmtField("started_at", new Date("2026-10-26T10:52:10.201Z"))).toBe("2026-10-26 10:52:10 UTC");
  });
  it("keeps text as it is", () => expect(fmtField("excerpt", "<script>x</script>")).toBe("<script>x</script>"));
  it("prints a time that is not one as it came", () => expect(fmtTime("not a time")).toBe("not a time"));
});

describe("describeFilters(target)", () => {
  it("says what a list keeps", () =>
    expect(
      describeFilters({
        kind: "list",
        table: "eval_results",
        where: {passed: false},
        min: {input_chars: 10000},
        max: {input_chars: 20000}
      })
    ).toBe("passed = false, input_chars ≥ 10000, input_chars < 20000"));
});
