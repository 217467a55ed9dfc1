// From eval triage to the cases behind a change: each slice whose pass rate fell significantly links to
// the later run's failing cases in that slice (input length or category), listed with their outputs.
import {html} from "npm:htl";
import {lengthBucketBounds} from "../lib/lengthBuckets.js";
import {caseHref, type CaseTarget} from "./caseLinks.js";
import type {SliceChange} from "./triageCharts.js";

/** The later run's failing cases of a slice, as a case list; null for a slice that names no cases (unknown length). */
export function failingCasesOf(after: string, slice: Pick<SliceChange, "dimension" | "value">): CaseTarget | null {
  const base = {kind: "list", table: "eval_results", where: {run_id: after, passed: false}} as const;
  if (slice.dimension === "category") return {...base, where: {...base.where, category: slice.value}};
  if (slice.dimension !== "length") return null;
  const bounds = lengthBucketBounds(slice.value);
  if (!bounds) return null;
  return {
    ...base,
    ...(bounds.min === undefined ? {} : {min: {input_chars: bounds.min}}),
    ...(bounds.max === undefined ? {} : {max: {input_chars: bounds.max}})
  };
}

/** Links to the failing cases of every slice that dropped significantly (paired test p < 0.05). */
export function droppedSliceLinks(pair: {after: string; slices: readonly SliceChange[]}): HTMLElement | null {
  const dropped = pair.slices
    .filter((s) => s.p_value !== null && s.p_value < 0.05 && (s.delta ?? 0) < 0)
    .map((s) => ({s, target: failingCasesOf(pair.after, s)}))
    .filter((d) => d.target !== null);
  if (!dropped.length) return null;
  return html`<p id="dropped-slice-cases">Open the later run's failing cases where the pass rate dropped: ${dropped.map(
    ({s, target}, i) =>
      html`${i ? " · " : ""}<a href=${caseHref(target!)}>${s.dimension === "length" ? `inputs of ${s.value} characters` : s.value}</a>`
  )}.</p>`;
}
