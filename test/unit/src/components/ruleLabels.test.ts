import {describe, expect, test} from "vitest";
import {placeRuleLabels, type RuleLabel} from "../../../../src/components/ruleLabels.js";

// The sweep chart's frame at a phone's width: 40 px of y axis on the left, text may run to the edge.
const PHONE = {left: 40, right: 388};
const at = (t: number, width = 390) => 40 + t * (width - 60);

/** The drawn text's extent, read from the anchor and offset returned (6.2 px per character). */
function extent(l: RuleLabel, p: ReturnType<typeof placeRuleLabels>[number]): [number, number] {
  const w = l.text.length * 6.2;
  return p.textAnchor === "start" ? [l.x + p.dx, l.x + p.dx + w] : [l.x + p.dx - w, l.x + p.dx];
}
const apart = (a: [number, number], b: [number, number]) => a[1] <= b[0] || b[1] <= a[0];

describe("placeRuleLabels(labels, frame)", () => {
  test("a lone label reads to the right of its rule, on the top row", () => {
    expect(placeRuleLabels([{x: at(0.5), text: "slider 0.50"}], PHONE)).toEqual([{textAnchor: "start", dx: 3, row: 0}]);
  });

  test("labels of far-apart rules both read to the right on the top row", () => {
    const p = placeRuleLabels(
      [
        {x: at(0.2), text: "slider 0.20"},
        {x: at(0.8), text: "cost-optimal"}
      ],
      PHONE
    );
    expect(p.map((x) => [x.textAnchor, x.row])).toEqual([
      ["start", 0],
      ["start", 0]
    ]);
  });

  test("close rules (slider 0.56 next to the cost optimum at 0.58, 390 px) put their labels on either side", () => {
    const labels = [
      {x: at(0.56), text: "slider 0.56"},
      {x: at(0.58), text: "cost-optimal"}
    ];
    const p = placeRuleLabels(labels, PHONE);
    // The naive placement (both to the right) overlaps: the case the layout test caught.
    expect(apart([labels[0].x + 3, labels[0].x + 3 + 11 * 6.2], [labels[1].x + 3, labels[1].x + 3 + 12 * 6.2])).toBe(
      false
    );
    expect(p.map((x) => x.row)).toEqual([0, 0]);
    expect(apart(extent(labels[0], p[0]), extent(labels[1], p[1]))).toBe(true);
    expect(p[0].textAnchor).toBe("end");
    expect(p[1].textAnchor).toBe("start");
  });

  test("the same holds when the slider is right of the optimum", () => {
    const labels = [
      {x: at(0.6), text: "slider 0.60"},
      {x: at(0.58), text: "cost-optimal"}
    ];
    const p = placeRuleLabels(labels, PHONE);
    expect(p.map((x) => x.row)).toEqual([0, 0]);
    expect(apart(extent(labels[0], p[0]), extent(labels[1], p[1]))).toBe(true);
  });

  test("close rules at the left edge, where no label can turn left, take two rows (the slider stays on top)", () => {
    const labels = [
      {x: at(0.0), text: "slider 0.00"},
      {x: at(0.02), text: "cost-optimal"}
    ];
    const p = placeRuleLabels(labels, PHONE);
    expect(p.map((x) => x.row)).toEqual([0, 1]);
    for (const [i, l] of labels.entries()) expect(extent(l, p[i])[0]).toBeGreaterThanOrEqual(PHONE.left);
  });

  test("a label at the right edge turns left rather than be cut off", () => {
    const l = {x: at(0.97), text: "cost-optimal"};
    const [p] = placeRuleLabels([l], PHONE);
    expect(p.textAnchor).toBe("end");
    expect(extent(l, p)[1]).toBeLessThanOrEqual(PHONE.right);
  });

  test("refuses more rules than it can search", () => {
    const many = Array.from({length: 5}, (_, i) => ({x: at(i / 5), text: "x"}));
    expect(() => placeRuleLabels(many, PHONE)).toThrow(/5 labels/);
  });
});
