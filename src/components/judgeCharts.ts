// How an LLM judge errs against people: the share of human-failed items it passes (lenient) next to
// the share of human-passed items it fails (strict), each with its 95% interval.
import * as Plot from "@observablehq/plot";
import {html} from "npm:htl";
import type {Lean} from "../../loaders/queries/classifierJudges.js";
import {fmtP} from "../lib/format.js";
import {fmtCI, fmtInt, fmtPct} from "./format.js";
import {nameAxis} from "./nameAxis.js";

interface Bar {
  what: string;
  rate: number;
  low: number;
  high: number;
  text: string;
}

export function leanChart(lean: Lean, {width = 640, fail = "fail", pass = "pass"} = {}) {
  const bars: Bar[] = [
    {what: `Lenient: judged ${pass}, people said ${fail}`, r: lean.lenientRate},
    {what: `Strict: judged ${fail}, people said ${pass}`, r: lean.strictRate}
  ]
    .filter((b) => b.r.rate !== null)
    .map(({what, r}) => ({what, rate: r.rate!, low: r.low!, high: r.high!, text: fmtCI(r)}));
  const names = nameAxis(
    bars.map((b) => b.what),
    width,
    {charWidth: 6.2, max: 300}
  );
  return Plot.plot({
    width,
    height: 130,
    marginLeft: names.marginLeft,
    // Room for the rate written right of its interval ("30.0%"), which ran past the edge at 20 px.
    marginRight: 44,
    x: {
      domain: [0, Math.min(1, Math.max(0.1, ...bars.map((b) => b.high)) * 1.15)],
      label: "Share of the items people gave that verdict",
      tickFormat: "%",
      grid: true
    },
    y: {label: null, domain: bars.map((b) => b.what)},
    marks: [
      names.axis,
      Plot.barX(bars, {
        y: "what",
        x: "rate",
        fill: (b: Bar) => (b.what.startsWith("Lenient") ? "#d35400" : "#2471a3"),
        fillOpacity: 0.8
      }),
      Plot.ruleY(bars, {y: "what", x1: "low", x2: "high", stroke: "currentColor", strokeWidth: 2}),
      Plot.text(bars, {y: "what", x: "high", text: (b: Bar) => fmtPct(b.rate), dx: 6, textAnchor: "start"})
    ]
  });
}

/** One sentence a PM can paste into a launch review. */
export function leanSentence(
  model: string,
  lean: Lean,
  {fail = "fail", pass = "pass", noun = "items"} = {}
): HTMLElement {
  const inflation = (lean.judgePassRate.rate ?? 0) - (lean.humanPassRate.rate ?? 0);
  const head =
    lean.direction === "lenient"
      ? html`<strong>${model} is too lenient.</strong>`
      : lean.direction === "strict"
        ? html`<strong>${model} is too strict.</strong>`
        : html`<strong>${model} shows no significant lean.</strong>`;
  return html`<p>${head} It judges <em>${pass}</em> ${fmtPct(lean.lenientRate.rate)} of the ${noun} people judged <em>${fail}</em> (${fmtInt(lean.lenient)} of ${fmtInt(lean.lenientRate.n)}), and <em>${fail}</em> ${fmtPct(lean.strictRate.rate)} of those people judged <em>${pass}</em> (${fmtInt(lean.strict)} of ${fmtInt(lean.strictRate.n)}); exact McNemar ${fmtP(lean.p)}. A pass rate graded by this judge reads ${fmtPct(lean.judgePassRate.rate)} where people give ${fmtPct(lean.humanPassRate.rate)}: ${inflation >= 0 ? "overstated" : "understated"} by ${(Math.abs(inflation) * 100).toFixed(1)} points.</p>`;
}
