import {describe, expect, test} from "vitest";
import {placeLabels, type Frame} from "../../../../src/components/labelPlacement.js";

const frame = (width: number): Frame => ({
  xDomain: [0, 1],
  yDomain: [0, 1],
  xRange: [50, width - 20],
  yRange: [20, 380]
});
const CHAR = 6.8;
/** The drawn text's box in pixels, from the placement returned (an independent reading of the anchors). */
function box(l: ReturnType<typeof placeLabels>[number], f: Frame) {
  const x = f.xRange[0] + l.lx * (f.xRange[1] - f.xRange[0]);
  const y = f.yRange[1] - l.ly * (f.yRange[1] - f.yRange[0]);
  const w = l.shown.length * CHAR;
  const x0 = l.anchor === "start" ? x : l.anchor === "end" ? x - w : x - w / 2;
  return {x0, x1: x0 + w, y0: y - 7, y1: y + 7};
}

describe("placeLabels(labels, frame)", () => {
  test("keeps every label's full text where there is room, without overlaps", () => {
    const f = frame(1000);
    const placed = placeLabels(
      [
        {x: 0.3, y: 0.5, text: "gpt-4.1 · chat-v6"},
        {x: 0.32, y: 0.5, text: "gpt-4.1 · chat-v7"}
      ],
      f
    );
    expect(placed.map((p) => p.shown)).toEqual(["gpt-4.1 · chat-v6", "gpt-4.1 · chat-v7"]);
    const [a, b] = placed.map((p) => box(p, f));
    expect(a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0).toBe(true);
  });

  test("never draws a label into the left margin, where the y axis's ticks are", () => {
    const f = frame(400);
    const [p] = placeLabels([{x: 0.01, y: 0.5, text: "claude-sonnet-4 · chat-v7"}], f);
    if (p.shown) expect(box(p, f).x0).toBeGreaterThanOrEqual(f.xRange[0]);
  });

  test("on a narrow chart shortens, then drops, labels that would overprint; priority keeps its text", () => {
    const f = frame(300);
    const labels = [
      {x: 0.5, y: 0.5, text: "claude-3-5-haiku · chat-v7"},
      {x: 0.52, y: 0.5, text: "gpt-4.1-mini · chat-v7"},
      {x: 0.51, y: 0.52, text: "claude-sonnet-4 · chat-v7", priority: 1},
      {x: 0.49, y: 0.48, text: "gemini-2.5-flash · chat-v7"}
    ];
    const placed = placeLabels(labels, f);
    expect(placed[2].shown).toBe("claude-sonnet-4 · chat-v7");
    expect(placed.some((p) => p.shown !== p.text)).toBe(true);
    for (const p of placed) expect([p.text, p.text.split(" · ")[0], ""]).toContain(p.shown);
    const boxes = placed.filter((p) => p.shown).map((p) => box(p, f));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        expect(a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0, `${i} × ${j}`).toBe(true);
      }
  });
});
