// Cost and latency in production against the config's budgets (traces.ts): the p95 of the latest
// period (or of the whole period when there is none), the mean cost per request over the whole
// period; and, when the latest p95 is over budget, the model responsible and where its p95 stood a
// few periods earlier.
import {list, type FeatureContext} from "./context.js";
import {pageHref, slug} from "./facts.js";
import {fmtDate, fmtWholePeriod} from "./format.js";
import {ALL} from "../../src/lib/all.js";
import {bucketLabel} from "../../src/lib/format.js";

export interface BudgetRow {
  label: string;
  measured: string;
  budget: string | null;
  status: "within" | "over" | "no budget";
}

export interface Overrun {
  kind: "latency-budget" | "cost-budget";
  title: string;
  short: string;
  text: string;
  watch: string;
}

type Traces = FeatureContext["inputs"]["traces"];

// How a trend bucket reads: one definition with the traces page, which labels its latest-period card the same way.
export {bucketLabel};

export function budgetSection(c: FeatureContext): {rows: BudgetRow[]; overruns: Overrun[]} {
  const {traces} = c.inputs;
  const summary = traces.summary.find((r) => r.feature === c.feature && r.model === ALL);
  if (!summary) return {rows: [], overruns: []};
  // Own keys only: a feature named "constructor" has no budget, not Object.prototype's constructor.
  const ownLimit = (limits: unknown) =>
    limits && Object.hasOwn(limits, c.feature) ? (limits as Record<string, number>)[c.feature] : null;
  const latencyBudget = ownLimit(traces.budgets.latency_p95_ms);
  const costBudget = ownLimit(traces.budgets.cost_per_request_usd);
  const granularity = traces.granularity.trend;
  // The traces page heads its whole-period figures with these same words (traceViews.ts); the dates
  // are names, not figures, for the check that every number in the prose is a fact.
  const {first_at, last_at} = traces.totals ?? {first_at: null, last_at: null};
  [first_at, last_at].forEach((d) => d && c.t.name(fmtDate(d)));
  const whole = fmtWholePeriod(first_at, last_at);
  const at = (bucket: string) => (c.t.name(fmtDate(bucket)), c.t.name(bucketLabel(bucket, granularity)));
  const latencyHref = pageHref("traces", {feature: c.feature}, "latency");
  const costHref = pageHref("traces", {feature: c.feature}, "tokens-and-cost-per-request");
  // A budget links where its measurement does: the cost budget quoted in an overrun and in the table
  // is one fact, so both must carry the cost section's address.
  const budget = (kind: "latency" | "cost", value: number | null, unit: "ms" | "usd") =>
    value === null
      ? null
      : c.t.ref({
          id: `${c.key}.budget.${kind}`,
          feature: c.feature,
          label: `${kind === "latency" ? "Latency p95" : "Cost per request"} budget`,
          value,
          unit,
          href: kind === "latency" ? latencyHref : costHref
        });
  const status = (value: number | null, limit: number | null): BudgetRow["status"] =>
    limit === null || value === null ? "no budget" : value > limit ? "over" : "within";
  const rows: BudgetRow[] = [];
  const latest = traces.latency.filter((r) => r.feature === c.feature && r.model === ALL).at(-1);
  const latestP95Fact =
    latest?.p95 == null
      ? null
      : {
          id: `${c.key}.latency.p95.latest`,
          feature: c.feature,
          label: `Latency p95 of production requests, ${bucketLabel(latest.bucket, granularity)}`,
          value: latest.p95,
          unit: "ms" as const,
          n: latest.n,
          href: latencyHref
        };
  const latestP95 = latestP95Fact && c.t.ref(latestP95Fact);
  if (latest && latestP95)
    rows.push({
      label: `Latency p95, ${at(latest.bucket)}`,
      measured: latestP95,
      budget: budget("latency", latencyBudget, "ms"),
      status: status(latest.p95, latencyBudget)
    });
  // The whole span's p95 only when there is no latest period: older traffic would blur a recent overrun.
  if (!latestP95 && summary.latency.p95 != null) {
    rows.push({
      label: `Latency p95, ${whole}`,
      measured: c.t.ref({
        id: `${c.key}.latency.p95.all`,
        feature: c.feature,
        label: `Latency p95 of production requests, ${whole}`,
        value: summary.latency.p95,
        unit: "ms",
        n: summary.requests,
        href: latencyHref
      }),
      budget: budget("latency", latencyBudget, "ms"),
      status: status(summary.latency.p95, latencyBudget)
    });
  }
  const costFact =
    summary.cost.mean === null
      ? null
      : {
          id: `${c.key}.cost.mean`,
          feature: c.feature,
          label: `Mean cost per production request, ${whole}`,
          value: summary.cost.mean,
          unit: "usd" as const,
          n: summary.cost.n,
          href: costHref
        };
  const cost = costFact && c.t.ref(costFact);
  if (cost)
    rows.push({
      label: `Cost per request (mean), ${whole}`,
      measured: cost,
      budget: budget("cost", costBudget, "usd"),
      status: status(summary.cost.mean, costBudget)
    });

  // An overrun quotes what it measured with its n (the fact's full form), as the rates beside it on
  // the home page and in the brief do: a p95 of 70 requests is not one of 7,000.
  const overruns: Overrun[] = [];
  if (latest && latestP95Fact && latencyBudget !== null && latest.p95! > latencyBudget)
    overruns.push(
      latencyOverrun(c, latest.bucket, c.t.full(latestP95Fact), budget("latency", latencyBudget, "ms")!, at)
    );
  if (costFact && costBudget !== null && summary.cost.mean! > costBudget) {
    const measured = c.t.full(costFact);
    overruns.push({
      kind: "cost-budget",
      title: "cost per request over budget",
      short: `cost per request is ${measured} over the ${whole}, against a budget of ${budget("cost", costBudget, "usd")}`,
      text: `Cost per request ${measured} over the ${whole}, above the budget of ${budget("cost", costBudget, "usd")}.`,
      watch: `Mean cost per request: ${measured} over the ${whole}, budget ${budget("cost", costBudget, "usd")}.`
    });
  }
  return {rows, overruns};
}

/** The models whose p95 in the latest bucket is over budget, the worst named with its p95 a few buckets earlier. */
function latencyOverrun(
  c: FeatureContext,
  bucket: string,
  latestP95: string,
  budget: string,
  at: (bucket: string) => string
): Overrun {
  const {traces} = c.inputs;
  const limit = c.t.get(`${c.key}.budget.latency`)!.value;
  const byModel = traces.latency.filter((r) => r.feature === c.feature && r.model !== ALL);
  const over = byModel
    .filter((r) => r.bucket === bucket && r.p95 !== null && r.p95 > limit)
    .sort((a, b) => b.p95! - a.p95!);
  const worst = over[0];
  if (!worst)
    return {
      kind: "latency-budget",
      title: "latency over budget",
      short: `latency p95 is ${latestP95} against a budget of ${budget}`,
      text: `Latency p95 ${latestP95} in ${at(bucket)}, above the budget of ${budget}.`,
      watch: `Latency p95: ${latestP95} in ${at(bucket)}, budget ${budget}.`
    };
  const href = pageHref("traces", {feature: c.feature, model: worst.model}, "latency");
  const model = c.t.name(worst.model);
  const p95 = (r: typeof worst, which: string) =>
    c.t.full({
      id: `${c.key}.latency.p95.${slug(worst.model)}.${which}`,
      feature: c.feature,
      label: `Latency p95 of ${worst.model}, ${bucketLabel(r.bucket, traces.granularity.trend)}`,
      value: r.p95!,
      unit: "ms",
      n: r.n,
      href
    });
  const history = byModel.filter((r) => r.model === worst.model && r.p95 !== null);
  const earlier = history.length > 1 ? history[Math.max(0, history.length - 4)] : null;
  const trend = earlier ? `, up from ${p95(earlier, "earlier")} in ${at(earlier.bucket)}` : "";
  const others = over.slice(1).map((r) => c.t.name(r.model));
  return {
    kind: "latency-budget",
    title: `${model} latency over budget`,
    short: `latency p95 of ${model} reached ${p95(worst, "latest")} against a budget of ${budget}`,
    text: `Latency p95 of ${model} reached ${p95(worst, "latest")} in ${at(bucket)}, above the budget of ${budget}${trend}${others.length ? `; ${list(others)} also over` : ""}.`,
    watch: `Latency p95 of ${model}: ${p95(worst, "latest")} in ${at(bucket)}, budget ${budget}.`
  };
}
