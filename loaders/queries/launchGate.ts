// Friday launch gate: for every candidate in the config's `launches`, each gate's measured value on
// the candidate's latest run in the suite, its 95% interval (Wilson for rates, the order-statistic
// interval for latency percentiles, bootstrap or t for means) and a verdict — pass, fail, or not
// yet conclusive when the interval straddles the threshold — then go / no-go / inconclusive overall
// with the evidence (run, n, model, prompt) and, for the baseline, the same figures and a paired test.
import type {GateConfig, LaunchConfig} from "../schema/config.js";
import {casesToConclude} from "../metrics/casesToConclude.js";
import {gateBar, gateVerdict, launchVerdict, type GateVerdict} from "../../src/lib/metrics/gateVerdict.js";
import {BOOTSTRAP_MAX_N, meanInterval} from "../../src/lib/metrics/meanInterval.js";
import {exactMcNemar} from "../../src/lib/metrics/mcnemar.js";
import {minimumDetectableDifference} from "../../src/lib/metrics/minimumDetectableDifference.js";
import {wayForward} from "../metrics/wayForward.js";
import {quantileInterval} from "../metrics/quantileInterval.js";
import {wilsonInterval} from "../../src/lib/metrics/wilson.js";
import type {Database} from "../warehouse/duckdb.js";
import {REPORTED_ZERO} from "../warehouse/prices.js";
import type {Workspace} from "../workspace/config.js";
import {prepareEvalTables, round, type EvalRunRow} from "./evalTables.js";

type Metric = GateConfig["metric"];

export const gateLabels: Record<Metric, {label: string; unit: "rate" | "score" | "ms" | "usd"; method: string}> = {
  pass_rate: {label: "Pass rate", unit: "rate", method: "Wilson score interval"},
  mean_score: {label: "Mean score", unit: "score", method: "percentile bootstrap (seeded)"},
  latency_p50_ms: {label: "Latency p50", unit: "ms", method: "order-statistic interval"},
  latency_p95_ms: {label: "Latency p95", unit: "ms", method: "order-statistic interval"},
  latency_p99_ms: {label: "Latency p99", unit: "ms", method: "order-statistic interval"},
  cost_per_request_usd: {label: "Cost per request", unit: "usd", method: "percentile bootstrap (seeded)"},
  refusal_rate: {label: "Refusal rate", unit: "rate", method: "Wilson score interval"},
  error_rate: {label: "Error rate", unit: "rate", method: "Wilson score interval"}
};

type Run = Pick<
  EvalRunRow,
  "run_id" | "option" | "started_at" | "model" | "prompt_version" | "dataset_version" | "n" | "passes"
>;

interface Measurement {
  estimate: number | null;
  low: number | null;
  high: number | null;
  n: number;
  method: string;
}

type System = {model: string; prompt_version?: string; option?: string};

/** The runs of one suite by one system (its prompt and option when named): latestRun's and history's rows. */
const systemRunsSql = `SELECT run_id,
       option,
       started_at,
       model,
       prompt_version,
       dataset_version,
       n,
       passes
     FROM eval_run
     WHERE suite = $suite
       AND model = $model
       AND ($prompt IS NULL OR prompt_version = $prompt)
       AND ($option IS NULL OR option = $option)`;

const systemParams = (suite: string, system: System) => ({
  suite,
  model: system.model,
  prompt: system.prompt_version ?? null,
  option: system.option ?? null
});

async function latestRun(db: Database, suite: string, system: System): Promise<Run | null> {
  const [run] = await db.query<Run>(
    `${systemRunsSql}
     ORDER BY started_at DESC, run_id DESC
     LIMIT 1`,
    systemParams(suite, system)
  );
  return run ?? null;
}

/** Every gate metric measured on one run, from its cases (rates, scores) and its requests (latency, cost…). */
export async function measureRun(db: Database, runId: string): Promise<Record<Metric, Measurement>> {
  const cases = await db.columns(
    `SELECT passed, score
     FROM eval_case
     WHERE run_id = $run`,
    {run: runId}
  );
  const requests = await db.columns(
    `SELECT latency_ms,
       cost_usd,
       cost_source,
       refused,
       error IS NOT NULL AS errored
     FROM eval_results
     WHERE run_id = $run`,
    {run: runId}
  );
  const defined = (xs: unknown[]) => xs.filter((x): x is number => typeof x === "number");
  const count = (xs: unknown[], value: unknown) => xs.filter((x) => x === value).length;
  const latencies = Float64Array.from(defined(requests.latency_ms)).sort();
  const rate = (k: number, n: number, method: string): Measurement => {
    const w = wilsonInterval(k, n);
    return {estimate: w.rate, low: w.low, high: w.high, n, method};
  };
  const mean = (xs: number[], method: string, bounds = {}): Measurement => {
    const m = meanInterval(xs, {bounds});
    return {
      estimate: m.mean,
      low: m.low,
      high: m.high,
      n: m.n,
      method: m.method === "t" ? `t interval (n > ${BOOTSTRAP_MAX_N.toLocaleString("en-US")})` : method
    };
  };
  const percentile = (q: number): Measurement => {
    const r = quantileInterval(latencies, q);
    return {estimate: r.estimate, low: r.low, high: r.high, n: r.n, method: gateLabels.latency_p95_ms.method};
  };
  const refusalKnown = requests.refused.filter((x) => x !== null).length;
  const unpriced = count(requests.cost_source, REPORTED_ZERO);
  return {
    pass_rate: rate(count(cases.passed, true), cases.passed.length, gateLabels.pass_rate.method),
    mean_score: mean(defined(cases.score), gateLabels.mean_score.method, {lower: 0, upper: 1}),
    latency_p50_ms: percentile(0.5),
    latency_p95_ms: percentile(0.95),
    latency_p99_ms: percentile(0.99),
    cost_per_request_usd: unpriced
      ? costUnknown(unpriced, requests.cost_source.length)
      : mean(defined(requests.cost_usd), gateLabels.cost_per_request_usd.method, {lower: 0}),
    refusal_rate: rate(count(requests.refused, true), refusalKnown, gateLabels.refusal_rate.method),
    error_rate: rate(count(requests.errored, true), requests.errored.length, gateLabels.error_rate.method)
  };
}

/**
 * A run whose source reported $0 for calls that used tokens, for a model the price table lacks, has
 * no cost to gate on: the mean of its priced calls alone would pass a budget it may break.
 */
function costUnknown(unpriced: number, requests: number): Measurement {
  return {
    estimate: null,
    low: null,
    high: null,
    n: 0,
    method: `cost unknown: ${unpriced} of ${requests} requests reported $0 despite using tokens, and the price table has no price for the model`
  };
}

const rounding = (metric: Metric) => (metric.endsWith("_ms") ? 1 : metric === "cost_per_request_usd" ? 7 : 4);

function gateRow(
  gate: GateConfig,
  measured: Record<Metric, Measurement> | null,
  baseline: Record<Metric, Measurement> | null,
  suiteSize: number,
  requestsPerDay: number | null
) {
  const direction = gate.min !== undefined ? "min" : "max";
  const threshold = (gate.min ?? gate.max)!;
  const margin = gate.margin ?? null;
  const bar = gateBar({direction, threshold, margin});
  const m = measured?.[gate.metric] ?? {
    estimate: null,
    low: null,
    high: null,
    n: 0,
    method: gateLabels[gate.metric].method
  };
  const verdict = gateVerdict({direction, threshold, margin, estimate: m.estimate, low: m.low, high: m.high});
  const isRate = gateLabels[gate.metric].unit === "rate";
  const needed =
    verdict === "inconclusive" && isRate && m.estimate !== null ? casesToConclude(m.estimate, m.n, bar) : null;
  // What this n can tell apart from the bar at all: without a margin, a rate within this distance is
  // one the data cannot rule out, which is not the same as "equivalent".
  // Pass rate and mean score count each case once (its epochs reduced to one verdict in eval_case), so
  // rerunning the suite would not raise their n; the per-output rates (refusal, error) count every epoch.
  const perCase = gate.metric === "pass_rate" || gate.metric === "mean_score";
  const forward =
    needed === null || suiteSize <= 0 ? null : wayForward(needed, suiteSize, requestsPerDay, {epochsCount: !perCase});
  const detectable = isRate && m.estimate !== null && m.n > 0 ? minimumDetectableDifference(m.estimate, m.n) : null;
  const d = rounding(gate.metric);
  const b = baseline?.[gate.metric];
  return {
    metric: gate.metric,
    ...gateLabels[gate.metric],
    direction,
    threshold,
    margin,
    bar: round(bar, d),
    estimate: round(m.estimate, d),
    low: round(m.low, d),
    high: round(m.high, d),
    n: m.n,
    method: m.method,
    verdict,
    cases_needed: needed === null ? null : needed - m.n,
    minimum_detectable: round(detectable, 4),
    way_forward: forward,
    way_forward_text: forward ? wayForwardText({metric: gate.metric, way_forward: forward}) : null,
    baseline: b ? {estimate: round(b.estimate, d), low: round(b.low, d), high: round(b.high, d), n: b.n} : null
  };
}

/** The production signal a canary reads for a gate, against the gate's own threshold. */
const productionSignal: Record<Metric, string> = {
  pass_rate: "the share of outputs users accept as is (User corrections)",
  mean_score: "the share of outputs users accept as is (User corrections)",
  latency_p50_ms: "production p50 latency (Traces)",
  latency_p95_ms: "production p95 latency (Traces)",
  latency_p99_ms: "production p99 latency (Traces)",
  cost_per_request_usd: "production cost per request (Traces)",
  refusal_rate: "the production refusal rate (Traces)",
  error_rate: "the production error rate (Traces)"
};

/** "running the suite 3 times (1,200 graded cases)": the way forward as an action, sized to the suite. */
export function wayForwardText(g: {metric: Metric; way_forward: ReturnType<typeof wayForward> | null}): string {
  const w = g.way_forward;
  if (!w) return "more evidence";
  if (w.kind === "epochs")
    return `running the suite ${w.epochs} times (${thousands(w.cases)} graded cases, the outputs varying run to run)`;
  if (w.kind === "larger-suite") return `growing the suite to about ${thousands(w.cases)} cases`;
  const pace =
    w.days === null
      ? "no production traffic to size it by yet"
      : `about ${thousands(w.days)} day${w.days === 1 ? "" : "s"} at current traffic`;
  return `a canary on ${Math.round(w.share * 100)}% of traffic for ${thousands(w.requests)} requests (${pace}), watching ${productionSignal[g.metric]}`;
}

const list = (items: string[]) =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
const thousands = (n: number) => n.toLocaleString("en-US");

function summarize(
  verdict: ReturnType<typeof launchVerdict>,
  gates: ReturnType<typeof gateRow>[],
  run: Run | null
): {summary: string; rollout: string} {
  const names = (v: GateVerdict) => gates.filter((g) => g.verdict === v).map((g) => g.label.toLowerCase());
  if (!run)
    return {
      summary: "No eval run of the candidate in this suite yet.",
      rollout: "Not ready: run the candidate on the suite to get evidence."
    };
  if (verdict === "go")
    return {
      summary: `Every gate clears its threshold with 95% confidence on ${thousands(run.n)} cases.`,
      rollout:
        "Ready for a staged rollout: start with a small share of traffic and watch the production pages before widening."
    };
  const failing = names("fail");
  if (verdict === "no-go") {
    const many = failing.length > 1;
    return {
      summary: `Fails on ${list(failing)}: the whole interval${many ? "s are" : " is"} on the wrong side of the threshold${many ? "s" : ""}.`,
      rollout: `Not ready: fix ${list(failing)} before any rollout.`
    };
  }
  const open = [...names("inconclusive"), ...names("no-data")];
  const passing = names("pass");
  // Gates that one action settles share one clause: the suite run twice settles pass rate and
  // refusal rate at once, so the sentence says it once.
  const byAction = new Map<string, string[]>();
  for (const g of gates.filter((g) => g.way_forward_text !== null))
    byAction.set(g.way_forward_text!, [
      ...(byAction.get(g.way_forward_text!) ?? []),
      `${g.label.toLowerCase()} if it stays at ${((g.estimate ?? 0) * 100).toFixed(1)}%`
    ]);
  const plan = [...byAction].map(([action, settled]) => `${action} would settle ${list(settled)}`);
  return {
    summary:
      `Not yet conclusive on ${list(open)}: ` +
      `${open.length > 1 ? "their intervals still straddle the thresholds" : "the interval still straddles the threshold"}` +
      `${passing.length ? `; ${list(passing)} pass${passing.length > 1 ? "" : "es"}` : ""}.`,
    rollout: `Not ready to decide: ${plan.length ? list(plan) : "more evidence is needed"}. A limited canary can gather evidence meanwhile, with the gates re-checked before widening.`
  };
}

/** Cases both runs graded, and how many each passed alone and in all. */
type PairedRow = {
  shared: number;
  candidate_only: number;
  baseline_only: number;
  candidate_passes: number;
  baseline_passes: number;
};

async function pairedVsBaseline(db: Database, candidate: Run, baseline: Run) {
  const [d] = await db.query<PairedRow>(
    `SELECT count(*)::INTEGER AS shared,
       count(*) FILTER (WHERE c.passed AND NOT b.passed)::INTEGER AS candidate_only,
       count(*) FILTER (WHERE b.passed AND NOT c.passed)::INTEGER AS baseline_only,
       count(*) FILTER (WHERE c.passed)::INTEGER AS candidate_passes,
       count(*) FILTER (WHERE b.passed)::INTEGER AS baseline_passes
     FROM eval_case c
     JOIN eval_case b ON b.run_id = $baseline AND b.case_id = c.case_id
     WHERE c.run_id = $candidate`,
    {candidate: candidate.run_id, baseline: baseline.run_id}
  );
  // "No significant difference" on n shared cases is not "equivalent": the difference this n could
  // detect (as two independent samples, an upper bound for the paired design) says what is ruled out.
  const detectable =
    d.shared > 0 ? minimumDetectableDifference(d.baseline_passes / d.shared, d.shared, {samples: 2}) : null;
  return {
    ...d,
    p_value: round(exactMcNemar(d.candidate_only, d.baseline_only).pValue, 6),
    minimum_detectable: round(detectable, 4)
  };
}

async function history(db: Database, suite: string, system: System) {
  const runs = await db.query<Run>(
    `${systemRunsSql}
     ORDER BY started_at, run_id`,
    systemParams(suite, system)
  );
  return runs.map((r) => {
    const w = wilsonInterval(r.passes, r.n);
    return {
      run_id: r.run_id,
      started_at: r.started_at,
      n: r.n,
      rate: round(w.rate),
      low: round(w.low),
      high: round(w.high)
    };
  });
}

/** The feature's production requests per day over its latest week of traces: the pace a canary would collect evidence at. */
type RequestsRow = {requests: number};

async function requestsPerDay(db: Database, feature: string): Promise<number | null> {
  const [r] = await db.query<RequestsRow>(
    `SELECT count(*)::INTEGER AS requests
     FROM requests
     WHERE feature = $feature
       AND start_time > (SELECT max(start_time) FROM requests WHERE feature = $feature) - INTERVAL 7 DAY`,
    {feature}
  );
  return r && r.requests > 0 ? round(r.requests / 7, 1) : null;
}

async function evaluateLaunch(db: Database, launch: LaunchConfig) {
  const candidate = await latestRun(db, launch.suite, launch.candidate);
  const baseline = launch.baseline ? await latestRun(db, launch.suite, launch.baseline) : null;
  const measured = candidate ? await measureRun(db, candidate.run_id) : null;
  const baselineMeasured = baseline ? await measureRun(db, baseline.run_id) : null;
  const perDay = await requestsPerDay(db, launch.feature);
  const gates = launch.gates.map((g) => gateRow(g, measured, baselineMeasured, candidate?.n ?? 0, perDay));
  const verdict = launchVerdict(gates.map((g) => g.verdict));
  const evidence = (r: Run | null) =>
    r
      ? {
          run_id: r.run_id,
          option: r.option,
          started_at: r.started_at,
          model: r.model,
          prompt_version: r.prompt_version,
          dataset_version: r.dataset_version,
          n: r.n
        }
      : null;
  return {
    feature: launch.feature,
    suite: launch.suite,
    candidate: launch.candidate,
    baseline: launch.baseline ?? null,
    verdict,
    ...summarize(verdict, gates, candidate),
    evidence: evidence(candidate),
    baseline_evidence: evidence(baseline),
    gates,
    paired:
      candidate && baseline && candidate.run_id !== baseline.run_id
        ? await pairedVsBaseline(db, candidate, baseline)
        : null,
    history: await history(db, launch.suite, launch.candidate)
  };
}

/** The launch-gate page's data (src/data/launch-gate.json.ts); components import this type, not a copy. */
export type LaunchGatePage = Awaited<ReturnType<typeof launchGate>>;

export async function launchGate(db: Database, workspace: Pick<Workspace, "config">) {
  await prepareEvalTables(db);
  const launches = [];
  for (const launch of workspace.config.launches) launches.push(await evaluateLaunch(db, launch));
  return {launches};
}
