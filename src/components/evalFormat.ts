// Formats shared by the eval pages: a rate with its interval and n, a p-value, a change in points,
// a run as a reader names it (date, model · prompt), and a verdict badge.
import {html} from "npm:htl";
import {fmtP, fmtUsd} from "../lib/format.js";
import {fmtDate, fmtInt, fmtMs, fmtPct} from "./format.js";

export {fmtCI, type Interval} from "./format.js";
// The shared money and p-value formats (src/lib/format.ts), under the names the eval pages import.
export {fmtP as fmtPValue, fmtUsd as fmtCost, fmtPts} from "../lib/format.js";

/** "82.8–89.5%": the interval alone. */
export function fmtRange(r: {low: number | null; high: number | null}, digits = 1): string {
  if (r.low === null && r.high === null) return "—";
  return `${r.low === null ? "…" : (r.low * 100).toFixed(digits)}–${r.high === null ? "…" : (r.high * 100).toFixed(digits)}%`;
}

export const fmtScore = (x: number | null | undefined) => (x == null ? "—" : x.toFixed(3));

export interface RunLike {
  started_at: string;
  model: string;
  prompt_version: string | null;
  option?: string | null;
}

/** A system as the pages name it: the source's option name (a promptfoo provider label) when it has one. */
export const systemLabel = (r: {model: string; prompt_version: string | null; option?: string | null}) =>
  r.option ?? modelAndPrompt(r);
const modelAndPrompt = (r: {model: string; prompt_version: string | null}) =>
  `${r.model}${r.prompt_version ? ` · ${r.prompt_version}` : ""}`;
export const runLabel = (r: RunLike) => `${fmtDate(r.started_at)} ${systemLabel(r)}`;

/**
 * Two runs compared, naming what they share once: "gpt-4.1-mini · sum-v3 → sum-v4", and with the dates
 * ("…, 2026-11-10 → 11-17") only when another pair of the list would read the same. Two full run labels
 * (68 characters in the sample) were cut in a picker at 390 px.
 */
export function runPairLabeller<P>(pairs: readonly P[], runs: (pair: P) => [RunLike, RunLike]): (pair: P) => string {
  const seen = new Map<string, number>();
  for (const pair of pairs) {
    const systems = pairSystems(...runs(pair));
    seen.set(systems, (seen.get(systems) ?? 0) + 1);
  }
  return (pair) => {
    const [before, after] = runs(pair);
    const systems = pairSystems(before, after);
    if (seen.get(systems) === 1 && systemLabel(before) !== systemLabel(after)) return systems;
    const [from, to] = [fmtDate(before.started_at), fmtDate(after.started_at)];
    const sameYear = from.length === 10 && to.length === 10 && from.slice(0, 5) === to.slice(0, 5);
    return `${systems}, ${from} → ${sameYear ? to.slice(5) : to}`;
  };
}

function pairSystems(before: RunLike, after: RunLike): string {
  const [a, b] = [systemLabel(before), systemLabel(after)];
  // Model and prompt are named apart only where the label is made of them (the build names an option
  // so when its source gave no name of its own).
  const parts =
    a === modelAndPrompt(before) && b === modelAndPrompt(after) && before.prompt_version && after.prompt_version;
  if (a === b) return a;
  if (parts && before.model === after.model)
    return `${before.model} · ${before.prompt_version} → ${after.prompt_version}`;
  if (parts && before.prompt_version === after.prompt_version)
    return `${before.model} → ${after.model} · ${after.prompt_version}`;
  return `${a} → ${b}`;
}

/** A measured value in the unit of its gate. */
export function fmtValue(x: number | null | undefined, unit: string): string {
  if (x == null) return "—";
  if (unit === "rate") return fmtPct(x);
  if (unit === "ms") return fmtMs(x);
  if (unit === "usd") return fmtUsd(x);
  return x.toFixed(3);
}

const verdictText: Record<string, string> = {
  pass: "pass",
  fail: "fail",
  inconclusive: "not yet conclusive",
  "no-data": "no data",
  go: "GO",
  "no-go": "NO-GO"
};

const toneColor = {good: "var(--wb-good)", bad: "var(--wb-bad)", warn: "var(--theme-yellow)"};

/** A colored word: pass/go blue, fail/no-go vermillion, inconclusive amber (palette.ts). Styled inline: the site's stylesheet stays shared. */
export function verdictBadge(verdict: string, {big = false} = {}): HTMLElement {
  const tone =
    verdict === "pass" || verdict === "go" ? "good" : verdict === "fail" || verdict === "no-go" ? "bad" : "warn";
  const text = verdict === "inconclusive" && big ? "NOT YET CONCLUSIVE" : (verdictText[verdict] ?? verdict);
  const style =
    `display:inline-block;border-radius:4px;font-weight:600;white-space:nowrap;color:${tone === "warn" ? "#1b1e23" : "white"};background:${toneColor[tone]};` +
    (big ? "font-size:20px;padding:4px 12px;letter-spacing:0.02em;" : "font-size:12px;padding:1px 7px;");
  return html`<span class="verdict verdict-${tone}" style=${style}>${text}</span>`;
}
