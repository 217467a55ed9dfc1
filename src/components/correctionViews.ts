// The corrections page's headline cards, the order of its slices, and the sentence on how much edited
// outputs change.
import {html} from "npm:htl";
import type {CorrectionsPage as Corrections} from "../../loaders/queries/corrections.js";
import {cards} from "./cards.js";
import {fmtInt, fmtPct} from "./format.js";
import {allLabel, fmtCI} from "./productionFormat.js";

export function correctionCards(overall: Corrections["overall"][number]): HTMLElement {
  return html`<div id="correction-cards">${cards([
    {label: "Outputs acted on", value: fmtInt(overall.n), note: allLabel(overall.feature, "all features")},
    {label: "Accepted as is", value: fmtPct(overall.accepted.rate), note: fmtCI(overall.accepted)},
    {label: "Edited", value: fmtPct(overall.edited.rate), note: fmtCI(overall.edited)},
    {label: "Ignored", value: fmtPct(overall.ignored.rate), note: fmtCI(overall.ignored)}
  ])}</div>`;
}

/** Weeks stay in time order; any other breakdown puts its largest slices first. */
export const orderedSlices = <R extends {n: number}>(rows: readonly R[], dimension: string): R[] =>
  dimension === "week" ? [...rows] : [...rows].sort((a, b) => b.n - a.n);

/** The quartiles and 90th percentile of the edit distance of a feature's edited outputs. */
export function editDistanceSummary(stats: Corrections["editDistance"]["stats"][number]): HTMLElement {
  const f = (x: number | null) => x!.toFixed(2);
  return html`<p>${fmtInt(stats.n)} edited outputs: median ${f(stats.median)}, middle half ${f(stats.p25)}–${f(stats.p75)}, 90th percentile ${f(stats.p90)}.${stats.missing ? ` ${fmtInt(stats.missing)} edits lack one of the two texts and have no distance.` : ""}</p>`;
}

/** The edit-distance sentence, or why there is none for this feature. */
export function editDistanceNote(stats: Corrections["editDistance"]["stats"][number] | undefined): HTMLElement {
  return stats?.n
    ? editDistanceSummary(stats)
    : html`<p class="muted">No edited output with both texts in this slice.</p>`;
}
