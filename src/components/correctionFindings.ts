// The corrections page's findings, computed from its data: the hot spot users correct most surely
// above the rest of its feature (its rate and interval against the rest's), and the model or prompt
// version that is a hot spot, since a version is what a PM can roll back. Pure functions.
import type {Finding} from "./findings.js";
import {fmtInt, fmtPct, fmtWholePeriod} from "./format.js";
import type {HotSpot} from "./correctionTables.js";
import {ALL} from "../lib/all.js";

const VERBS: Readonly<Record<string, string>> = {
  edited: "edit",
  rejected: "reject",
  ignored: "ignore",
  escalated: "escalate",
  accepted: "accept"
};

/** "enterprise users", "data-export-request requests", "outputs of prompt sum-v4". */
function sliceName({dimension, value, feature}: HotSpot): string {
  if (dimension === "segment") return `${capital(value)} users of ${feature}`;
  if (dimension === "category") return `On ${value} requests, users of ${feature}`;
  if (dimension === "model") return `Users of ${feature} on ${value}`;
  if (dimension === "prompt_version") return `Users of ${feature} on prompt ${value}`;
  return `Users of ${feature} in ${dimension} ${value}`;
}
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const ci = (r: HotSpot["slice"]) => `[${fmtPct(r.low)}–${fmtPct(r.high)}], n = ${fmtInt(r.n)}`;
const pts = (x: number | null) => (x === null ? "—" : (x * 100).toFixed(1));

/** One sentence for a hot spot: its rate and interval, the rest's, and the gap with its interval. */
export function hotSpotSentence(s: HotSpot): string {
  return `${sliceName(s)} ${VERBS[s.action] ?? s.action} its outputs ${fmtPct(s.slice.rate)} of the time ${ci(s.slice)}, against ${fmtPct(s.rest.rate)} for the rest of ${s.feature} ${ci(s.rest)}: ${pts(s.difference.value)} points more [${pts(s.difference.low)} to ${pts(s.difference.high)}].`;
}

export interface CorrectionFindingsInput {
  events: number;
  first_at: string | null;
  last_at: string | null;
  hotSpots: readonly HotSpot[];
}

/** The findings for a feature (ALL: every feature); hot spots arrive ranked, surest gap first. */
export function correctionFindings(c: CorrectionFindingsInput, feature = ALL): Finding[] {
  if (!c.events) return [];
  const scope = fmtWholePeriod(c.first_at, c.last_at);
  const spots = c.hotSpots.filter((s) => feature === ALL || s.feature === feature);
  if (!spots.length)
    return [
      {
        id: "finding-hot-spot",
        tone: "good",
        text: "No slice's rate of any action is significantly above the rest of its feature.",
        scope
      }
    ];
  const [top] = spots;
  const findings: Finding[] = [
    {
      id: "finding-hot-spot",
      tone: "bad",
      text: `${hotSpotSentence(top)}${spots.length > 1 ? ` The surest of ${fmtInt(spots.length)} hot spots.` : ""}`,
      scope,
      href: "#hot-spots-table"
    }
  ];
  const version = spots.find((s) => s !== top && (s.dimension === "prompt_version" || s.dimension === "model"));
  if (version)
    findings.push({
      id: "finding-version",
      tone: "bad",
      text: `A version to look at: ${hotSpotSentence(version)}`,
      scope,
      href: "#hot-spots-table"
    });
  return findings;
}
