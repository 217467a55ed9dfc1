// The safety page's findings, computed from its data: a flag category that rose after a model or
// prompt version began serving (flags per week before and after, an exact test of the split), and
// the oldest high-severity flag still open. Pure functions, so the sentences are tested as data.
import type {DailyFlags, OpenFlagRow} from "../../loaders/queries/safety.js";
import {binomialCdf} from "../lib/metrics/binomial.js";
import type {Evidence, Finding} from "./findings.js";
import {fmtDate, fmtInt, fmtWholePeriod} from "./format.js";
import {fmtP} from "../lib/format.js";
import {ALL} from "../lib/all.js";

/** When a feature's model × prompt version first served traffic (the drift page's deployments). */
export interface VersionChange {
  feature: string;
  model: string | null;
  prompt_version: string | null;
  first_at: string;
  /** Served from the first day of the data: not a change. */
  at_start: boolean;
}

export interface FlagRise {
  feature: string;
  category: string;
  change: VersionChange;
  before: number;
  after: number;
  daysBefore: number;
  daysAfter: number;
  perWeekBefore: number;
  perWeekAfter: number;
  /** One-sided exact p-value of at least `after` of the flags falling in the days after, were the rate unchanged. */
  p: number;
}

const DAY = 86_400_000;
const dayOf = (iso: string) => Math.floor(Date.parse(iso) / DAY);
/** Each side needs a week of days, else one busy day reads as a trend. */
const MIN_DAYS = 7;

/**
 * Every feature × category whose flag rate after a version change is at least minRatio times the rate
 * before and significant at alpha, Bonferroni-corrected for the comparisons made; most significant first.
 * Days run from the first to the last flag's day (inclusive); the change's own day counts as after.
 */
export function flagRises(
  daily: readonly DailyFlags[],
  changes: readonly VersionChange[],
  span: {first_at: string | null; last_at: string | null},
  {alpha = 0.01, minRatio = 1.5} = {}
): {rises: FlagRise[]; comparisons: number} {
  if (!span.first_at || !span.last_at) return {rises: [], comparisons: 0};
  const [start, end] = [dayOf(span.first_at), dayOf(span.last_at)];
  const candidates = changes
    .filter((c) => !c.at_start)
    .flatMap((change) => {
      const boundary = dayOf(change.first_at);
      const [daysBefore, daysAfter] = [boundary - start, end - boundary + 1];
      if (daysBefore < MIN_DAYS || daysAfter < MIN_DAYS) return [];
      const rows = daily.filter((d) => d.feature === change.feature);
      return [...new Set(rows.map((d) => d.category))].map((category) => {
        const of = rows.filter((d) => d.category === category);
        const before = of.filter((d) => dayOf(d.day) < boundary).reduce((t, d) => t + d.n, 0);
        const after = of.filter((d) => dayOf(d.day) >= boundary).reduce((t, d) => t + d.n, 0);
        const q = daysAfter / (daysBefore + daysAfter);
        const p = after ? 1 - binomialCdf(after - 1, before + after, q) : 1;
        const perWeek = (n: number, days: number) => (n / days) * 7;
        return {
          feature: change.feature,
          category,
          change,
          before,
          after,
          daysBefore,
          daysAfter,
          perWeekBefore: perWeek(before, daysBefore),
          perWeekAfter: perWeek(after, daysAfter),
          p
        };
      });
    });
  const rises = candidates
    .filter((r) => r.p < alpha / candidates.length && r.perWeekAfter >= minRatio * r.perWeekBefore)
    .sort((a, b) => a.p - b.p || b.after - a.after);
  return {rises, comparisons: candidates.length};
}

/** Flags per week of one feature and category, every week of the data (zeros included), the change's week marked. */
export function weeklyEvidence(
  weekly: readonly {week: string; feature: string; category: string; n: number}[],
  rise: FlagRise
): Evidence[] {
  const weeks = [...new Set(weekly.map((w) => w.week))].sort();
  if (!weeks.length) return [];
  const all: string[] = [];
  for (let d = dayOf(weeks[0]); d <= dayOf(weeks.at(-1)!); d += 7)
    all.push(new Date(d * DAY).toISOString().slice(0, 10));
  const changeWeek = all.filter((w) => dayOf(w) <= dayOf(rise.change.first_at)).at(-1);
  return all.map((week) => ({
    label: week.slice(5),
    value: fmtInt(
      weekly
        .filter((w) => w.week === week && w.feature === rise.feature && w.category === rise.category)
        .reduce((t, w) => t + w.n, 0)
    ),
    boundary: week === changeWeek ? `${versionName(rise.change)} from ${fmtDate(rise.change.first_at)}` : undefined
  }));
}

const versionName = (c: VersionChange) => [c.model, c.prompt_version].filter(Boolean).join(" · ");
const perWeek = (x: number) => (x < 10 ? x.toFixed(1) : fmtInt(x));
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const SEVERE = new Set(["critical", "high"]);

export interface SafetyFindingsInput {
  totals: {flags: number; first_at: string | null; last_at: string | null};
  daily: readonly DailyFlags[];
  weekly: readonly {week: string; feature: string; category: string; n: number}[];
  open: {total: number; rows: readonly OpenFlagRow[]};
}

/** The page's findings for a feature (ALL: every feature): flag rises after a version change, then the oldest severe open flag. */
export function safetyFindings(s: SafetyFindingsInput, changes: readonly VersionChange[], feature = ALL): Finding[] {
  if (!s.totals.flags) return [];
  const period = fmtWholePeriod(s.totals.first_at, s.totals.last_at);
  const picked = (f: string) => feature === ALL || f === feature;
  const {rises, comparisons} = flagRises(
    s.daily.filter((d) => picked(d.feature)),
    changes.filter((c) => picked(c.feature)),
    s.totals
  );
  const findings: Finding[] = rises.slice(0, 2).map((r, i) => ({
    id: `finding-rise-${i + 1}`,
    tone: "bad",
    text: `${capital(r.category)} flags on ${r.feature} rose from ${perWeek(r.perWeekBefore)} to ${perWeek(r.perWeekAfter)} a week after ${versionName(r.change)} first served traffic on ${fmtDate(r.change.first_at)}: ${fmtInt(r.before)} flags in the ${fmtInt(r.daysBefore)} days before, ${fmtInt(r.after)} in the ${fmtInt(r.daysAfter)} days from then on (${fmtP(r.p)}).`,
    scope: period,
    href: "#flag-trend",
    evidenceLabel: `${capital(r.category)} flags on ${r.feature} per week (week starting)`,
    evidence: weeklyEvidence(s.weekly, r)
  }));
  if (!rises.length)
    findings.push({
      id: "finding-rise-none",
      tone: "good",
      text: comparisons
        ? `No flag category rose significantly after any of the ${fmtInt(changes.filter((c) => !c.at_start && picked(c.feature)).length)} model or prompt changes (${fmtInt(comparisons)} comparisons, each tested at 1% ÷ ${fmtInt(comparisons)}).`
        : "No model or prompt change with a week of flags on each side to test a rise against.",
      scope: period
    });
  const open = s.open.rows.filter((r) => picked(r.feature));
  const severe = open.filter((r) => SEVERE.has(r.severity));
  const asOf = `as of the newest flag, ${fmtDate(s.totals.last_at)}`;
  if (!severe.length) {
    findings.push({id: "finding-open", tone: "good", text: "No high or critical flag is open.", scope: asOf});
    return findings;
  }
  const oldest = severe.reduce((a, b) => (b.age_days > a.age_days ? b : a));
  const origin = [oldest.model, oldest.prompt_version].filter(Boolean).join(" · ");
  findings.push({
    id: "finding-open",
    tone: "bad",
    text: `${oldest.flag_id}, a ${oldest.severity} ${oldest.category} flag on ${oldest.feature}${origin ? ` (${origin})` : ""}, has been open ${fmtInt(oldest.age_days)} days: the oldest of ${fmtInt(severe.length)} open high or critical flags${open.length < s.open.total && feature === ALL ? " among the most severe listed" : ""}.`,
    scope: asOf,
    href: `#${flagRowId(oldest.flag_id)}`
  });
  return findings;
}

/** The element id of a flag's row in the open-items table. */
export const flagRowId = (flagId: string) => `flag-${flagId.replace(/[^\w-]/g, "_")}`;
