// The y axis of charts named by long strings: its margin fits the names on a laptop and gives way to
// the frame on a phone (a third of the width at most), where bake-off and drift kept one tick.
import {describe, expect, test} from "vitest";
import {breakWords, nameAxis} from "../../../../src/components/nameAxis.js";

describe("nameAxis", () => {
  test("fits the longest name when the chart is wide enough", () => {
    // "multi-step-troubleshooting": 26 characters at 7 px, plus 12 px for the tick and its padding.
    expect(nameAxis(["multi-step-troubleshooting", "billing"], 1280).marginLeft).toBe(12 + 26 * 7);
  });

  test("takes at most a third of a phone's chart, leaving the frame room for ticks", () => {
    expect(nameAxis(["multi-step-troubleshooting"], 390).marginLeft).toBe(130);
  });

  test("stops at its maximum on a wide chart", () => {
    expect(nameAxis(["x".repeat(80)], 1440, {max: 220}).marginLeft).toBe(220);
    expect(nameAxis(["x".repeat(80)], 1440, {charWidth: 6.2, max: 300}).marginLeft).toBe(300);
  });

  test("sizes its margin on the names as shown", () => {
    expect(nameAxis(["(all)"], 1280, {format: (d) => (d === "(all)" ? "all categories" : d)}).marginLeft).toBe(
      12 + 14 * 7
    );
  });
});

// On a phone a chart is about 326 px wide, its name margin 109 px: a common word fits whole, a payload
// of 34 characters with no space or hyphen is cut into lines.
test("cuts only the words a phone's margin cannot hold", () => {
  const {marginLeft, tickFormat} = nameAxis(["hallucination", "<script>window.__pwned=1</script>"], 326);
  expect(marginLeft).toBe(109);
  expect(tickFormat("hallucination")).toBe("hallucination");
  expect(tickFormat("<script>window.__pwned=1</script>")).toBe("<script>window.\n__pwned=1</scri\npt>");
});

// Plot wraps a name at its spaces and hyphens only: a name with neither (an id, a planted payload) ran
// off the chart's left edge on the hostile workspace's bake-off, drift and safety pages at 390 px.
describe("breakWords", () => {
  test("cuts a word longer than a line into lines of its own", () => {
    expect(breakWords("<script>window.__pwned=1</script>", 12)).toBe("<script>wind\now.__pwned=1\n</script>");
  });

  test("leaves words that fit, and the spaces and hyphens Plot wraps at", () => {
    expect(breakWords("multi-step troubleshooting", 12)).toBe("multi-step troubleshoot\ning");
    expect(breakWords("billing", 12)).toBe("billing");
  });

  test("counts characters, not UTF-16 units", () => {
    expect(breakWords("😀😀😀", 2)).toBe("😀😀\n😀");
  });
});
