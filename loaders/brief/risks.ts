// The risks production and the evals show for a feature, each with its evidence and the page that
// shows it, in a fixed order of how directly they threaten users: a significant regression in the
// review period, traffic no eval covers, a shifted input mix, quality below the launch baseline,
// budget overruns, the strongest correction hot spot, open high-severity flags.
import type {Overrun} from "./budget.js";
import {suitesOf, system, type FeatureContext} from "./context.js";
import {pageHref, slug} from "./facts.js";
import {fmtDate, fmtWholePeriod} from "./format.js";
import {UNTESTED_SHARE} from "./recommend.js";

export type RiskKind =
  | "regression"
  | "untested-category"
  | "input-shift"
  | "quality-drift"
  | "failures"
  | Overrun["kind"]
  | "hot-spot"
  | "flags";

export interface Risk {
  kind: RiskKind;
  /** A clause without numbers: what a reader would call it. */
  title: string;
  /** The same clause with its key figure, for a headline. */
  short: string;
  /** The evidence, with placeholders. */
  text: string;
  /** The metric to watch for it, with placeholders. */
  watch: string;
}

const capitalize = (s: string) => s.replace(/^./, (ch) => ch.toUpperCase());

type Rate = {rate: number | null; low: number | null; high: number | null; n: number};

function rateRef(
  c: FeatureContext,
  id: string,
  label: string,
  r: Rate,
  href: string,
  form: "short" | "full" = "full"
): string {
  return c.t.ref(
    {
      id: `${c.key}.${id}`,
      feature: c.feature,
      label,
      value: r.rate ?? 0,
      unit: "rate",
      n: r.n,
      low: r.low,
      high: r.high,
      href
    },
    form
  );
}

function diffRef(
  c: FeatureContext,
  id: string,
  label: string,
  d: {value: number | null; low: number | null; high: number | null},
  href: string
): string {
  return c.t.full({
    id: `${c.key}.${id}`,
    feature: c.feature,
    label,
    value: d.value ?? 0,
    unit: "pts",
    low: d.low,
    high: d.high,
    href
  });
}

function regressions(c: FeatureContext, from: string): Risk[] {
  const suites = suitesOf(c);
  const runs = new Map(c.inputs.triage.runs.map((r) => [r.run_id, r]));
  const dropped = c.inputs.triage.comparisons.filter(
    (x) =>
      suites.includes(x.suite) &&
      runs.get(x.after)!.started_at >= from &&
      !x.changed.model &&
      x.p_value !== null &&
      x.p_value < 0.05 &&
      (x.delta ?? 0) < 0
  );
  return dropped.map((x) => {
    const after = runs.get(x.after)!;
    const href = pageHref("eval-triage", {suite: x.suite, after: x.after}, "where-the-change-is");
    const id = `regression.${slug(x.suite)}.${slug(x.after)}`;
    const name = (v: string | null) => c.t.name(v ?? "none");
    const what = x.changed.prompt_version
      ? `prompt ${name(x.changed.prompt_version.from)} → ${name(x.changed.prompt_version.to)}`
      : x.changed.dataset_version
        ? `dataset ${name(x.changed.dataset_version.from)} → ${name(x.changed.dataset_version.to)}`
        : `a rerun of ${c.t.name(system(after))}`;
    const delta = c.t.ref({
      id: `${c.key}.${id}.delta`,
      feature: c.feature,
      label: `Change in pass rate on ${x.suite}, shared cases`,
      value: x.delta!,
      unit: "pts",
      href
    });
    const p = c.t.ref({
      id: `${c.key}.${id}.p`,
      feature: c.feature,
      label: "Exact McNemar test on the shared cases",
      value: x.p_value!,
      unit: "p",
      href
    });
    const shared = c.t.ref({
      id: `${c.key}.${id}.shared`,
      feature: c.feature,
      label: "Cases both runs graded",
      value: x.shared,
      unit: "count",
      href
    });
    let text =
      `On ${c.t.name(x.suite)} (run of ${c.t.name(fmtDate(after.started_at))}), ${what} took the pass rate from ` +
      `${rateRef(c, `${id}.before`, "Pass rate before", x.before_rate, href, "short")} to ` +
      `${rateRef(c, `${id}.after`, "Pass rate after", x.after_rate, href, "short")} (${delta} on ${shared} shared cases, ${p}).`;
    let watch = `Pass rate of ${c.t.name(system(after))} on ${x.suite}: ${rateRef(c, `${id}.after`, "Pass rate after", x.after_rate, href, "short")} on the latest run.`;
    const e = x.explanation;
    const slice =
      e.kind === "concentrated"
        ? x.slices
            .filter((s) => s.dimension === e.dimension && e.values.includes(s.value))
            .sort((a, b) => (a.delta ?? 0) - (b.delta ?? 0))[0]
        : undefined;
    let where: string | undefined, sliceBefore: string | undefined, sliceAfter: string | undefined;
    if (slice) {
      where =
        slice.dimension === "length"
          ? `inputs of ${c.t.name(slice.value)} characters`
          : `category ${c.t.name(slice.value)}`;
      sliceBefore = rateRef(c, `${id}.slice.before`, `Pass rate before, ${where}`, slice.before, href, "short");
      sliceAfter = rateRef(c, `${id}.slice.after`, `Pass rate after, ${where}`, slice.after, href, "short");
      text +=
        ` The drop is concentrated in ${where}: ${sliceBefore} → ${sliceAfter} on ` +
        `${c.t.ref({id: `${c.key}.${id}.slice.n`, feature: c.feature, label: `Shared cases, ${where}`, value: slice.n, unit: "count", href})} cases.`;
      watch = `Pass rate on ${where} in the next ${x.suite} run: ${sliceAfter} now.`;
    }
    const short = slice
      ? `${what} took the pass rate on ${where!} from ${sliceBefore!} to ${sliceAfter!}`
      : `${what} moved the pass rate on ${x.suite} by ${delta}`;
    return {kind: "regression", title: `regression after ${what}`, short, text, watch};
  });
}

function untested(c: FeatureContext): Risk[] {
  return c.inputs.drift.newCategories
    .filter((n) => n.feature === c.feature && (n.weekly.at(-1)?.share.rate ?? 0) >= UNTESTED_SHARE)
    .map((n) => {
      const href = pageHref("drift", {feature: c.feature}, "what-production-sees-that-no-test-covers");
      const week = n.weekly.at(-1)!;
      const id = `untested.${slug(n.category)}`;
      const share = rateRef(
        c,
        `${id}.share.latest`,
        `Share of ${n.category} in ${c.feature} requests, week of ${week.week}`,
        week.share,
        href
      );
      let text = `${c.t.name(n.category)} is ${share} of requests in the week of ${c.t.name(week.week)} (first seen ${c.t.name(fmtDate(n.firstSeen))}), and no eval case covers it.`;
      if (n.corrections && n.acceptedVsRest?.significant) {
        text +=
          ` Users accept ${rateRef(c, `${id}.accepted`, `Outputs accepted as is, ${n.category}`, n.corrections.accepted, href)} of its outputs as is, ` +
          `against ${rateRef(c, `${id}.accepted.rest`, "Outputs accepted as is, rest of the feature", n.acceptedRest, href, "short")} for the ` +
          `rest of the feature.`;
      }
      const shareShort = rateRef(
        c,
        `${id}.share.latest`,
        `Share of ${n.category} in ${c.feature} requests, week of ${week.week}`,
        week.share,
        href,
        "short"
      );
      return {
        kind: "untested-category",
        title: `untested traffic: ${n.category}`,
        short: `${n.category}, which no eval case covers, is ${shareShort} of requests in the week of ${week.week}`,
        text,
        watch:
          `Share of ${n.category} in ${c.feature} traffic: ` +
          `${rateRef(c, `${id}.share.latest`, `Share of ${n.category} in ${c.feature} requests, week of ${week.week}`, week.share, href, "short")} in ` +
          `the week of ${week.week}.`
      };
    });
}

/** The category mix's latest week against the eval set, when its PSI says major. */
export function latestCategoryShift(c: FeatureContext) {
  const latest = c.inputs.drift.categoryShift.find((s) => s.feature === c.feature)?.weekly.at(-1);
  return latest?.level === "major" ? latest : null;
}

function inputShift(c: FeatureContext): Risk[] {
  const latest = latestCategoryShift(c);
  if (!latest) return [];
  const psi = c.t.ref({
    id: `${c.key}.drift.psi.latest-week`,
    feature: c.feature,
    label: `PSI of the category mix against the eval set, week of ${latest.week}`,
    value: latest.psi!,
    unit: "psi",
    n: latest.n,
    href: pageHref("drift", {feature: c.feature}, "does-production-still-look-like-the-eval-set")
  });
  return [
    {
      kind: "input-shift",
      title: "production no longer looks like the eval set",
      short: `production's category mix moved away from the eval set (PSI ${psi} in the week of ${latest.week})`,
      text: `The category mix of production moved away from the eval set: PSI ${psi} in the week of ${c.t.name(latest.week)}, a major shift.`,
      watch: `PSI of the category mix against the eval set: ${psi} in the week of ${latest.week}.`
    }
  ];
}

function qualityDrift(c: FeatureContext): Risk[] {
  const {quality} = c.inputs.drift;
  const href = pageHref("drift", {feature: c.feature}, "quality-since-launch");
  const out: Risk[] = [];
  const week = quality.weekly.filter((w) => w.feature === c.feature).at(-1);
  const base = quality.baseline.find((b) => b.feature === c.feature);
  if (week && base && week.acceptedVsBaseline.significant && (week.acceptedVsBaseline.value ?? 0) < 0) {
    const now = rateRef(c, "accepted.latest", `Outputs accepted as is, week of ${week.week}`, week.accepted, href);
    const then = rateRef(
      c,
      "accepted.baseline",
      "Outputs accepted as is, launch baseline",
      base.accepted,
      href,
      "short"
    );
    out.push({
      kind: "quality-drift",
      title: "fewer outputs accepted than at launch",
      short: `outputs accepted as is fell to ${rateRef(c, "accepted.latest", `Outputs accepted as is, week of ${week.week}`, week.accepted, href, "short")} from ${then} at launch`,
      text:
        `Outputs accepted as is fell to ${now} in the week of ${c.t.name(week.week)}, against ${then} in the feature's first weeks in production ` +
        `(${diffRef(c, "accepted.vs-baseline", "Change against the launch baseline", week.acceptedVsBaseline, href)}).`,
      watch: `Outputs accepted as is: ${rateRef(c, "accepted.latest", `Outputs accepted as is, week of ${week.week}`, week.accepted, href, "short")} in the week of ${week.week}, ${then} at launch.`
    });
  }
  const failed = quality.failures.filter((w) => w.feature === c.feature).at(-1);
  const failedBase = quality.failureBaseline.find((b) => b.feature === c.feature);
  if (failed && failedBase && failed.failedVsBaseline.significant && (failed.failedVsBaseline.value ?? 0) > 0) {
    const now = rateRef(c, "failed.latest", `Failed requests, week of ${failed.week}`, failed.failed, href);
    out.push({
      kind: "failures",
      title: "more failed requests than at launch",
      short: `failed requests rose to ${rateRef(c, "failed.latest", `Failed requests, week of ${failed.week}`, failed.failed, href, "short")}`,
      text:
        `Failed requests rose to ${now} in the week of ${c.t.name(failed.week)}, against ` +
        `${rateRef(c, "failed.baseline", "Failed requests, launch baseline", failedBase.failed, href, "short")} at launch.`,
      watch: `Failed requests: ${now} in the week of ${failed.week}.`
    });
  }
  return out;
}

const dimensionName: Record<string, string> = {category: "category", model: "model", prompt_version: "prompt"};
const verb: Record<string, string> = {ignored: "ignore", rejected: "reject", edited: "edit", escalated: "escalate"};

function hotSpot(c: FeatureContext, skip: ReadonlySet<string>): Risk[] {
  const spot = c.inputs.corrections.hotSpots.find(
    (s) => s.feature === c.feature && !(s.dimension === "category" && skip.has(s.value))
  );
  if (!spot) return [];
  const href = pageHref("corrections", {feature: c.feature}, "hot-spots");
  const id = `hot-spot.${slug(spot.dimension)}.${slug(spot.value)}.${spot.action}`;
  const where =
    spot.dimension === "segment"
      ? `the ${c.t.name(spot.value)} segment`
      : `${dimensionName[spot.dimension] ?? spot.dimension} ${c.t.name(spot.value)}`;
  const who = spot.dimension === "segment" ? `users in ${where}` : `users of ${where}`;
  // Hot spots are found over every correction, as the corrections page states in the same words.
  const {first_at, last_at} = c.inputs.corrections;
  [first_at, last_at].forEach((d) => d && c.t.name(fmtDate(d)));
  const whole = fmtWholePeriod(first_at, last_at);
  const rate = rateRef(c, id, `Outputs ${spot.action}, ${where}, ${whole}`, spot.slice, href);
  // The same fact as `rate` (already recorded, so only its placeholder), in its short form.
  const rateShort = rateRef(c, id, `Outputs ${spot.action}, ${where}, ${whole}`, spot.slice, href, "short");
  const rest = rateRef(
    c,
    `${id}.rest`,
    `Outputs ${spot.action}, rest of ${c.feature}, ${whole}`,
    spot.rest,
    href,
    "short"
  );
  return [
    {
      kind: "hot-spot",
      title: `correction hot spot in ${where}`,
      short: `${who} ${verb[spot.action] ?? spot.action} ${rateShort} of outputs over the ${whole}, against ${rest} elsewhere`,
      text:
        `${capitalize(who)} ${verb[spot.action] ?? spot.action} ${rate} of outputs over the ${whole}, against ${rest} in the rest of the feature ` +
        `(${diffRef(c, `${id}.difference`, "Above the rest of the feature by", spot.difference, href)}).`,
      watch: `Outputs ${spot.action} in ${where}: ${rateShort} over the ${whole}, ${rest} elsewhere.`
    }
  ];
}

function openFlags(c: FeatureContext): Risk[] {
  const open = c.inputs.safety.groups.filter((g) => g.feature === c.feature && g.status === "open");
  const severe = open.filter((g) => g.severity === "critical" || g.severity === "high");
  const count = (rows: typeof open) => rows.reduce((t, g) => t + g.n, 0);
  if (!severe.length) return [];
  const href = pageHref("safety", {feature: c.feature}, "open-items");
  const byCategory = new Map<string, number>();
  for (const g of severe) byCategory.set(g.category, (byCategory.get(g.category) ?? 0) + g.n);
  const top = [...byCategory].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  const severeRef = c.t.ref({
    id: `${c.key}.flags.open.severe`,
    feature: c.feature,
    label: "Open flags, high or critical",
    value: count(severe),
    unit: "count",
    href
  });
  // The safety page lists open items most severe first, then oldest: the first severe one of the feature is its oldest.
  const oldest = (c.inputs.safety.open.rows as {feature: string | null; severity: string; age_days: number}[]).find(
    (r) => r.feature === c.feature && (r.severity === "critical" || r.severity === "high")
  );
  const age = oldest
    ? ` The oldest has been open ` +
      c.t.ref({
        id: `${c.key}.flags.open.oldest-days`,
        feature: c.feature,
        label: "Days the oldest open high or critical flag has waited, to the newest flag",
        value: oldest.age_days,
        unit: "count",
        href
      }) +
      ` days.`
    : "";
  return [
    {
      kind: "flags",
      title: "open high-severity flags",
      short: `${severeRef} high-severity flagged outputs are still open`,
      text:
        `${c.t.ref({id: `${c.key}.flags.open`, feature: c.feature, label: "Open flags", value: count(open), unit: "count", href})} flagged outputs ` +
        `are still open, ${severeRef} of them high or critical, mostly ${c.t.name(top)}.${age}`,
      watch: `Open high or critical flags: ${severeRef}.`
    }
  ];
}

export function risksOf(c: FeatureContext, overruns: readonly Overrun[]): Risk[] {
  const fresh = untested(c);
  const skip = new Set(c.inputs.drift.newCategories.filter((n) => n.feature === c.feature).map((n) => n.category));
  return [
    ...(c.period.from ? regressions(c, c.period.from) : []),
    ...fresh,
    ...(fresh.length ? [] : inputShift(c)),
    ...qualityDrift(c),
    ...overruns,
    ...hotSpot(c, skip),
    ...openFlags(c)
  ];
}
