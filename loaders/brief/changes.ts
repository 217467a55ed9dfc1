// What changed since the last review: eval runs in the review period and the systems run for the first
// time, a bake-off held in it, systems that started serving production, and the week-over-week move of
// production's input mix against the eval set (PSI, drift.ts).
import {deploymentsOf, list, suitesOf, system, type FeatureContext} from "./context.js";
import {pageHref, slug} from "./facts.js";
import {fmtDate} from "./format.js";

function evalRuns(c: FeatureContext, from: string): string[] {
  return suitesOf(c).map((suite) => {
    const runs = c.inputs.triage.runs.filter((r) => r.suite === suite);
    const recent = runs.filter((r) => r.started_at >= from);
    c.t.name(suite);
    if (!recent.length)
      return `No eval run of ${suite} in the review period; the latest ran on ${c.t.name(fmtDate(runs.at(-1)!.started_at))}.`;
    const before = new Set(runs.filter((r) => r.started_at < from).map(system));
    const fresh = [...new Set(recent.map(system))].filter((s) => !before.has(s)).map((s) => c.t.name(s));
    const count = c.t.ref({
      id: `${c.key}.changed.runs.${slug(suite)}`,
      feature: c.feature,
      label: `Eval runs of ${suite} in the review period`,
      value: recent.length,
      unit: "count",
      href: pageHref("eval-triage", {suite}, "every-run-of-the-suite")
    });
    if (recent.length === 1 && fresh.length === 1) return `${count} eval run of ${suite}: the first of ${fresh[0]}.`;
    return `${count} eval run${recent.length === 1 ? "" : "s"} of ${suite}${fresh.length ? `, including the first of ${list(fresh)}` : ", no new system"}.`;
  });
}

function bakeoffs(c: FeatureContext, from: string): string[] {
  // A bake-off is news when at least two systems ran in the period, not when one new run joins old ones.
  return c.inputs.bakeoff.suites
    .filter((s) => s.feature === c.feature && s.options.filter((o) => o.started_at >= from).length > 1)
    .map((s) => {
      const href = pageHref("bakeoff", {suite: s.suite}, "quality-cost-and-latency-of-each-option");
      const option = (key: string | null) => s.options.find((o) => o.option === key);
      const best = option(s.recommendation.best);
      const pick = option(s.recommendation.recommended);
      const count = c.t.ref({
        id: `${c.key}.bakeoff.${slug(s.suite)}.options`,
        feature: c.feature,
        label: `Systems compared in the ${s.suite} bake-off`,
        value: s.options.length,
        unit: "count",
        href
      });
      const pass = (o: NonNullable<typeof best>) =>
        c.t.ref({
          id: `${c.key}.bakeoff.${slug(s.suite)}.${slug(o.option)}.pass-rate`,
          feature: c.feature,
          label: `Pass rate of ${o.option} in the bake-off`,
          value: o.pass.rate ?? 0,
          unit: "rate",
          n: o.pass.n,
          low: o.pass.low,
          high: o.pass.high,
          href
        });
      if (!best) return `Bake-off of ${count} systems on ${s.suite}, none graded.`;
      const head = `Bake-off of ${count} systems on ${s.suite}: best pass rate ${c.t.name(best.option)} (${pass(best)})`;
      // An option of unknown cost (a $0 reported for tokens no price covers) cannot be called the cheapest.
      const unknown = s.options.filter((o) => o.cost.mean === null && o.cost.unknown).map((o) => c.t.name(o.option));
      if (!pick && unknown.length)
        return `${head}; none to recommend on cost: the cost of ${list(unknown)} is unknown.`;
      if (!pick) return `${head}; none is both as good and within budget.`;
      if (pick === best) return `${head}, also the one to ship: no cheaper system matches it.`;
      const costRef = (value: number) =>
        c.t.ref({
          id: `${c.key}.bakeoff.${slug(s.suite)}.${slug(pick.option)}.cost`,
          feature: c.feature,
          label: `Cost per request of ${pick.option} in the bake-off`,
          value,
          unit: "usd",
          n: pick.cost.n,
          href
        });
      const cost = pick.cost.mean === null ? "" : `, ${costRef(pick.cost.mean)} per request`;
      return `${head}; the cheapest not significantly below it is ${c.t.name(pick.option)} (${pass(pick)}${cost}).`;
    });
}

function deployments(c: FeatureContext, from: string): string[] {
  return deploymentsOf(c)
    .filter((d) => !d.at_start && d.first_at >= from)
    .map((d) => {
      const requests = c.t.ref({
        id: `${c.key}.deployed.${slug(system({model: d.model ?? "?", prompt_version: d.prompt_version}))}.requests`,
        feature: c.feature,
        label: "Traced requests it served since",
        value: d.requests,
        unit: "count",
        href: pageHref("traces", {feature: c.feature, model: d.model}, "volume")
      });
      return (
        `${c.t.name(system({model: d.model ?? "an unnamed model", prompt_version: d.prompt_version}))} started serving production on ` +
        `${c.t.name(fmtDate(d.first_at))} (${requests} traced requests since).`
      );
    });
}

/** The category mix of the last two weeks against the eval set, when the latest week is more than stable. */
function mixShift(c: FeatureContext): string[] {
  const shift = c.inputs.drift.categoryShift.find((s) => s.feature === c.feature);
  const [previous, latest] = shift?.weekly.slice(-2) ?? [];
  if (!latest || latest.psi === null || latest.level === "stable") return [];
  const href = pageHref("drift", {feature: c.feature}, "does-production-still-look-like-the-eval-set");
  const psi = (w: typeof latest, which: string) =>
    c.t.ref({
      id: `${c.key}.drift.psi.${which}`,
      feature: c.feature,
      label: `PSI of the category mix against the eval set, week of ${w.week}`,
      value: w.psi!,
      unit: "psi",
      n: w.n,
      href
    });
  const trend = previous?.psi != null ? `, from ${psi(previous, "previous-week")} the week before` : "";
  return [
    `Category mix against the eval set: PSI ${psi(latest, "latest-week")} in the week of ${c.t.name(latest.week)} (${latest.level} shift)${trend}.`
  ];
}

export function changesSection(c: FeatureContext): string[] {
  const from = c.period.from;
  if (!from) return ["No dated data in the workspace."];
  const lines = [...evalRuns(c, from), ...bakeoffs(c, from), ...deployments(c, from), ...mixShift(c)];
  return lines.length
    ? lines
    : ["No eval run, no new system in production and no shift in the input mix in the review period."];
}
