// Layout checks run on a rendered page: chart labels drawn over each other, cut at their chart's edge or
// squeezed to one tick, and tables wider than their box or the page's column. Every page of the sample
// site is measured with them (pages.test.ts), and every page of the hostile workspace's site
// (hostile.test.ts), whose names and texts are long and unbroken.
import type {Page} from "playwright-core";

/** What the layout checks found on a page at one width; each list is empty when the page is laid out right. */
export type Layout = {overlaps: string[]; cut: string[]; squeezed: string[]; wideTables: string[]};

/** Every layout check, run on the page as it is now. */
export async function measureLayout(page: Page): Promise<Layout> {
  return {
    overlaps: await overlappingLabels(page),
    cut: await cutLabels(page),
    squeezed: await squeezedAxes(page),
    wideTables: await wideTables(page)
  };
}

/**
 * Pairs of visible chart text labels (SVG text outside tips) that overlap by more than 1 px. A rotated
 * label's screen box is much larger than its glyphs, so each label is its own box turned with it, and
 * two boxes overlap when no edge direction of either separates them (separating axis test).
 */
export function overlappingLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const svg of document.querySelectorAll("svg")) {
      const labels = [...svg.querySelectorAll("text")]
        .filter(
          (t) =>
            !t.closest("[aria-label=tip]") &&
            (t.textContent ?? "").trim() !== "" &&
            getComputedStyle(t).visibility !== "hidden" &&
            getComputedStyle(t).opacity !== "0"
        )
        .map((t) => {
          const b = t.getBBox();
          const m = t.getScreenCTM()!;
          const corners = [
            [b.x, b.y],
            [b.x + b.width, b.y],
            [b.x + b.width, b.y + b.height],
            [b.x, b.y + b.height]
          ].map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
          return {text: (t.textContent ?? "").trim(), corners, empty: b.width === 0 || b.height === 0};
        })
        .filter((l) => !l.empty);
      const axes = (c: number[][]) =>
        [0, 1].map((i) => {
          const [dx, dy] = [c[i + 1][0] - c[i][0], c[i + 1][1] - c[i][1]];
          const len = Math.hypot(dx, dy) || 1;
          return [-dy / len, dx / len];
        });
      const project = (c: number[][], [ax, ay]: number[]) => c.map(([x, y]) => x * ax + y * ay);
      const overlap = (p: number[][], q: number[][]) =>
        [...axes(p), ...axes(q)].every((axis) => {
          const a = project(p, axis);
          const b = project(q, axis);
          return Math.min(Math.max(...a), Math.max(...b)) - Math.max(Math.min(...a), Math.min(...b)) > 1;
        });
      for (let i = 0; i < labels.length; i++)
        for (let j = i + 1; j < labels.length; j++)
          if (overlap(labels[i].corners, labels[j].corners)) out.push(`"${labels[i].text}" × "${labels[j].text}"`);
    }
    return out;
  });
}

/**
 * Visible chart text (SVG text outside tips) that reaches more than 1 px past its SVG's box: a label the
 * chart's margins do not hold, cut off on screen (the drift baseline's note, the end ticks of a legend).
 */
export function cutLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const svg of document.querySelectorAll("#observablehq-main svg")) {
      const box = svg.getBoundingClientRect();
      for (const t of svg.querySelectorAll("text")) {
        if (t.closest("[aria-label=tip]") || (t.textContent ?? "").trim() === "") continue;
        if (getComputedStyle(t).visibility === "hidden" || getComputedStyle(t).opacity === "0") continue;
        const b = t.getBoundingClientRect();
        if (b.width === 0 || b.height === 0) continue;
        const past = Math.max(box.left - b.left, b.right - box.right, box.top - b.top, b.bottom - box.bottom);
        if (past > 1) out.push(`"${(t.textContent ?? "").trim()}" ${Math.round(past)} px outside its chart`);
      }
    }
    return out;
  });
}

/**
 * Axes of figures (every tick label a number, percentage or duration) drawn with a single tick: the
 * frame left too narrow for a second (eval triage's slice charts at phone width, whose 190 px of labels
 * beside the frame left one "100%"), so the chart cannot be read.
 */
export function squeezedAxes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const figure = /^[−\-+]?[\d.,]+\s*(%|k|M|ms|s)?$/;
    const out: string[] = [];
    for (const axis of document.querySelectorAll('#observablehq-main svg g[aria-label$="axis tick label"]')) {
      const labels = [...axis.querySelectorAll("text")].map((t) => (t.textContent ?? "").trim()).filter(Boolean);
      if (labels.length === 1 && figure.test(labels[0]))
        out.push(`${axis.getAttribute("aria-label")} with the one tick "${labels[0]}"`);
    }
    return out;
  });
}

/**
 * Tables wider than their box or than the page's column, so that they scroll sideways inside it or in a
 * wrapper: on a phone the columns past the edge are out of sight, and with them what the row says (the
 * brief's gate verdicts, the traces' costs, the per-class recall). Tables stack their rows on a phone
 * instead (stackOnPhone). Inputs.table's grids (in a <form>: Explore's query result, whatever columns
 * the user asked for) are the exception: a grid of any width scrolls in its own box by design.
 */
export function wideTables(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const main = document.querySelector("#observablehq-main");
    if (!main) return [];
    const column = main.getBoundingClientRect();
    return [...main.querySelectorAll("table")]
      .filter((table) => !table.closest("form") && table.getClientRects().length > 0)
      .filter(
        (table) => table.scrollWidth > table.clientWidth + 1 || table.getBoundingClientRect().right > column.right + 1
      )
      .map((table) => {
        const head = [...table.querySelectorAll("th")].map((th) => th.innerText.trim()).join(" | ");
        const width = Math.max(table.scrollWidth, Math.round(table.getBoundingClientRect().width));
        return `table "${head.slice(0, 80)}": ${width} px in a ${Math.min(table.clientWidth, Math.round(column.width))} px box`;
      });
  });
}
