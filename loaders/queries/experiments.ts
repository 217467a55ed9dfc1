// The experiments page: per configured experiment, the sample-ratio check, each metric's lift with
// fixed-horizon and always-valid intervals (delta method for ratios, CUPED where a covariate exists),
// segment effects with Benjamini–Hochberg q-values, power, the daily looks at the primary metric, and
// the verdict with its reason. SQL reduces units to per-arm moments; the statistics are the pure
// functions of loaders/metrics/experiments/.
import {fillHint} from "../adapters/index.js";
import {ALWAYS_VALID_METHOD} from "../metrics/experiments/alwaysValid.js";
import {benjaminiHochberg} from "../metrics/experiments/benjaminiHochberg.js";
import {meanDifference} from "../metrics/experiments/meanDifference.js";
import {metricEffect, type ArmSummary, type MetricEffect} from "../metrics/experiments/metricEffect.js";
import {
  MODEL_GUARDRAIL_RULE,
  modelGuardrails,
  type ArmTraffic,
  type ModelGuardrail
} from "../metrics/experiments/modelGuardrails.js";
import {orderStatisticRanks, quantileInterval} from "../metrics/quantileInterval.js";
import {daysToReach, mdeFromStandardError, unitsForEffect} from "../metrics/experiments/power.js";
import {sampleRatioCheck, SRM_ALPHA, type SampleRatioCheck} from "../metrics/experiments/sampleRatio.js";
import {
  experimentVerdict,
  VERDICT_RULES,
  type ExperimentStatus,
  type ExperimentVerdict,
  type SegmentHarm
} from "../metrics/experiments/verdict.js";
import type {ExperimentConfig, ExperimentMetric} from "../schema/config.js";
import {quotedString, type Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";

const DAY_MS = 86_400_000;
/** Segment levels shown per attribute, largest first: page data stays small with many countries. */
const SEGMENT_LEVELS = 12;

export interface SegmentEffect {
  attribute: string;
  level: string;
  metric: string;
  controlUnits: number;
  treatmentUnits: number;
  relative: number | null;
  low: number | null;
  high: number | null;
  pValue: number;
  q: number;
  harmful: boolean;
}

export interface DailyLook {
  day: number;
  units: number;
  estimate: number;
  naiveLow: number;
  naiveHigh: number;
  naiveP: number;
  alwaysValidLow: number;
  alwaysValidHigh: number;
}

export interface Comparison {
  treatment: string;
  primary: MetricEffect | null;
  guardrails: MetricEffect[];
  segments: SegmentEffect[];
  power: {mdeRelative: number | null; unitsNeeded: number | null; daysToMinimumEffect: number | null};
  daily: DailyLook[];
  /** From the traces and corrections that carry the experiment's variant; null when none do. */
  modelGuardrails: ModelGuardrail[] | null;
  verdict: ExperimentVerdict;
}

export interface ExperimentReadout {
  name: string;
  description: string | null;
  control: string;
  status: ExperimentStatus;
  start: string;
  end: string | null;
  sampleSize: number | null;
  lastDataAt: string | null;
  daysRun: number;
  unitsPerDay: number;
  minimumEffect: number;
  primaryMetric: string;
  sampleRatio: SampleRatioCheck & {variants: string[]};
  comparisons: Comparison[];
  verdict: ExperimentVerdict;
}

/** Every assignment row, counted. */
type AssignmentsRow = {assignments: number};

export async function experimentsPage(db: Database, workspace: Pick<Workspace, "config">) {
  const configured = workspace.config.experiments;
  const {moments, firstDays} = configured.length
    ? await armMoments(db, configured)
    : {moments: [], firstDays: [] as FirstDayRow[]};
  const spans = await lastData(db);
  const daily = await dailyRows(db, configured, firstDays);
  const traffic = configured.length ? await armTraffic(db, configured) : new Map<string, ArmTraffic>();
  const experiments: ExperimentReadout[] = [];
  for (const e of configured)
    experiments.push(
      readExperiment(
        e,
        moments.filter((r) => r.experiment === e.name),
        daily.filter((r) => r.experiment === e.name),
        spans.get(e.name) ?? null,
        traffic
      )
    );
  const [{assignments}] = await db.query<AssignmentsRow>(`SELECT count(*)::INTEGER AS assignments
    FROM assignments`);
  return {
    hint: fillHint("assignments"),
    assignments,
    alwaysValidMethod: ALWAYS_VALID_METHOD,
    srmAlpha: SRM_ALPHA,
    rules: VERDICT_RULES,
    modelGuardrailRule: MODEL_GUARDRAIL_RULE,
    experiments
  };
}

const metricsOf = (e: ExperimentConfig): ExperimentMetric[] => [e.primary, ...e.guardrails];

/**
 * Which outcome metric fills which per-unit column: slot i is the experiment's i-th metric (primary
 * first), role y its value (b: a binary's, 1 when any value is nonzero), d a ratio's denominator, c the
 * pre-period covariate. One table for every experiment lets one pass over the outcomes serve them all.
 */
type Slot = {experiment: string; metric: string; slot: number; role: "y" | "b" | "d" | "c"};

function metricSlots(experiments: readonly ExperimentConfig[]): Slot[] {
  return experiments.flatMap((e) =>
    metricsOf(e).flatMap((m, i) => {
      const slot = (metric: string, role: Slot["role"]) => ({experiment: e.name, metric, slot: i, role});
      const rows = [m.kind === "ratio" ? slot(m.numerator!, "y") : slot(m.name, m.kind === "binary" ? "b" : "y")];
      if (m.kind === "ratio") rows.push(slot(m.denominator!, "d"));
      if (m.covariate) rows.push(slot(m.covariate, "c"));
      return rows;
    })
  );
}

/**
 * The per-unit columns y, d and c of each slot. A (slot, role) that no configured metric fills is a
 * constant 0 rather than an aggregate that only ever sums nothing: with a binary primary and a count
 * guardrail, 3 aggregates per unit instead of 8 (at 1M rows the query took 0.76 s of CPU, not 1.04).
 */
function unitColumns(slots: number, filled: readonly Slot[]): string {
  const used = (i: number, role: Slot["role"]) => filled.some((s) => s.slot === i && s.role === role);
  const sum = (i: number, role: Slot["role"], also = "") =>
    `coalesce(sum(o.value) FILTER (o.slot = ${i} AND o.role = '${role}'${also}), 0)`;
  const any = (i: number) => `coalesce(max((o.value <> 0)::INTEGER) FILTER (o.slot = ${i} AND o.role = 'b'), 0)`;
  return Array.from({length: slots}, (_, i) => {
    const y = [...(used(i, "y") ? [sum(i, "y")] : []), ...(used(i, "b") ? [any(i)] : [])];
    return [
      `(${y.length ? y.join(" + ") : "0"})::DOUBLE AS y${i}`,
      `${used(i, "d") ? sum(i, "d") : "0"}::DOUBLE AS d${i}`,
      `${used(i, "c") ? sum(i, "c", " AND o.at < o.unit_assigned_at") : "0"}::DOUBLE AS c${i}`
    ].join(", ");
  }).join(",\n      ");
}

/** The per-unit columns of unitColumns for every unit: 0 where the unit has no row of them. */
function unitValues(slots: number): string {
  return Array.from({length: slots}, (_, i) =>
    ["y", "d", "c"].map((v) => `coalesce(s.${v}${i}, 0)::DOUBLE AS ${v}${i}`).join(", ")
  ).join(",\n        ");
}

/**
 * The per-arm moments of the per-unit columns some configured metric fills. The others are constant 0,
 * and what their moments would say (no ratio denominator, a covariate with no variance) is what a
 * missing column says to armSummary. The bench's experiments need 7 aggregates per arm instead of 16
 * (at 1M rows, one thread, fastest of 5: 0.63 → 0.48 s of CPU for the query).
 */
function momentColumns(slots: number, filled: readonly Slot[]): string {
  const used = (i: number, role: Slot["role"]) => filled.some((s) => s.slot === i && s.role === role);
  return Array.from({length: slots}, (_, i) =>
    [
      `avg(y${i}) AS y${i}_mean`,
      `var_samp(y${i}) AS y${i}_var`,
      ...(used(i, "d")
        ? [`avg(d${i}) AS d${i}_mean`, `var_samp(d${i}) AS d${i}_var`, `covar_samp(y${i}, d${i}) AS yd${i}_cov`]
        : []),
      ...(used(i, "c")
        ? [`avg(c${i}) AS c${i}_mean`, `var_samp(c${i}) AS c${i}_var`, `covar_samp(c${i}, y${i}) AS cy${i}_cov`]
        : [])
    ].join(", ")
  ).join(",\n      ");
}

type MomentRow = Record<string, number | string | null> & {
  experiment: string;
  variant: string;
  attribute: string;
  level: string;
  n: number;
};

const ATTRIBUTES = ["segment", "plan", "country"] as const;

/** An experiment's day of a timestamp column: 1 from its start to a day later, and so on. */
const dayOf = (column: string, startMs: string) =>
  `(floor((epoch_ms(${column}) - ${startMs}) / ${DAY_MS}) + 1)::INTEGER`;

/** The experiments' starts in epoch milliseconds, as SQL VALUES rows (experiment, start_ms). */
const startRows = (experiments: readonly ExperimentConfig[]) =>
  experiments.map((e) => `(${quotedString(e.name)}, epoch_ms(${quotedString(e.start)}::TIMESTAMPTZ))`).join(", ");

/** The units of an arm whose binary primary metric first turned nonzero on an experiment's day. */
type FirstDayRow = {experiment: string; variant: string; day: number; units: number};

/** A row of armMoments' query: an arm's moments (by_first_day false) or a FirstDayRow. */
type ArmOrFirstDayRow = MomentRow & {first_day: number | null; by_first_day: boolean};

/**
 * Per-arm moments of every experiment's metrics, overall and per segment level, and the day each unit's
 * binary primary first turned nonzero (all the daily looks of a binary need from the outcomes), in one
 * pass: the outcomes are grouped per unit once for the whole page. With the daily looks joining
 * them again, the two queries took 14.3 s of CPU at 10M rows; this one and the arrivals take 10.4
 * (fastest of 3 under a load average of 16 on 2 cores).
 */
async function armMoments(
  db: Database,
  experiments: readonly ExperimentConfig[]
): Promise<{moments: MomentRow[]; firstDays: FirstDayRow[]}> {
  const slots = Math.max(...experiments.map((e) => metricsOf(e).length));
  // A binary primary fills slot 0's role b; its first nonzero outcome since the assignment, per unit.
  const binary = experiments.some((e) => e.primary.kind === "binary");
  const sets = [
    "(experiment, variant)",
    ...ATTRIBUTES.map((a) => `(experiment, variant, ${a})`),
    ...(binary ? ["(experiment, variant, first_day)"] : [])
  ].join(", ");
  const attribute = ATTRIBUTES.map((a) => `WHEN grouping(${a}) = 0 THEN '${a}'`).join(" ");
  const level = ATTRIBUTES.map((a) => `WHEN grouping(${a}) = 0 THEN coalesce(${a}, '(none)')`).join(" ");
  const names = experiments.map((e) => quotedString(e.name)).join(", ");
  const filled = metricSlots(experiments);
  const rows = filled.map((s) => `(${quotedString(s.experiment)}, ${quotedString(s.metric)}, ${s.slot}, '${s.role}')`);
  const firstAt = `min(o."at") FILTER (o.slot = 0 AND o.role = 'b' AND o.value <> 0 AND o."at" >= o.unit_assigned_at)`;
  // The units must reach var_samp in an order that does not depend on the threads: the assignments'
  // scan order, as the probe side of the join below. Left to itself, DuckDB builds its hash table on
  // the assignments when they are the smaller side (the sample's) and probes with the per-unit sums,
  // whose order two threads change: the sample's page then differed run to run in its last digits
  // (2 results in 40 runs at 2 threads, 1 in 80 before the key; docs/experiments.md).
  await db.run(`SET disabled_optimizers = 'build_side_probe_side'`);
  const result = await db
    .query<ArmOrFirstDayRow>(
      `WITH slots (experiment, metric, slot, role) AS (
      VALUES ${rows.join(", ")}
    ),
    starts (experiment, start_ms) AS (
      VALUES ${startRows(experiments)}
    ),
    -- Each outcome carries its unit's key and assignment time (written by the ingest's experiment
    -- check), so a unit's outcomes are grouped with no join to the assignments, and its attributes
    -- are joined on by the key. At 10M rows the page's CPU fell by about a quarter (docs/experiments.md,
    -- "A unit key on the outcomes").
    measured AS (
      SELECT o.unit_key, o.value, o."at", o.unit_assigned_at, s.slot, s.role
      FROM outcomes o
      JOIN slots s USING (experiment, metric)
    ),
    sums AS (
      SELECT o.unit_key,
      ${unitColumns(slots, filled)},
      ${binary ? firstAt : "NULL::TIMESTAMPTZ"} AS first_at
      FROM measured o
      GROUP BY o.unit_key
    ),
    -- A unit with no outcome of a configured metric has none in sums: its values are 0, as the sums
    -- of nothing above are.
    per_unit AS (
      SELECT u.experiment,
        u.variant,
        u.segment,
        u.plan,
        u.country,
        ${binary ? dayOf("s.first_at", "p.start_ms") : "NULL::INTEGER"} AS first_day,
        ${unitValues(slots)}
      FROM assignments u
      LEFT JOIN sums s ON s.unit_key = u.unit_key
      ${binary ? "JOIN starts p ON p.experiment = u.experiment" : ""}
      WHERE u.experiment IN (${names})
    )
    SELECT experiment,
      variant,
      CASE ${attribute} ELSE '' END AS attribute,
      CASE ${level} ELSE '' END AS level,
      ${binary ? "first_day" : "NULL::INTEGER AS first_day"},
      ${binary ? "grouping(first_day) = 0" : "false"} AS by_first_day,
      count(*)::INTEGER AS n,
      ${momentColumns(slots, filled)}
    FROM per_unit
    GROUP BY GROUPING SETS (${sets})
    ORDER BY experiment, attribute, level, variant`
    )
    .finally(() => db.run(`RESET disabled_optimizers`));
  const moments = result.filter((r) => !r.by_first_day);
  const firstDays = result
    .filter((r) => r.by_first_day && r.first_day !== null)
    .map((r) => ({experiment: r.experiment, variant: r.variant, day: r.first_day!, units: r.n}));
  return {moments, firstDays};
}

function armSummary(row: MomentRow | undefined, i: number): ArmSummary | null {
  if (!row) return null;
  const num = (k: string) => (row[k] === undefined || row[k] === null ? null : Number(row[k]));
  return {
    n: row.n,
    meanY: num(`y${i}_mean`) ?? 0,
    varianceY: num(`y${i}_var`) ?? 0,
    meanD: num(`d${i}_mean`),
    varianceD: num(`d${i}_var`),
    covarianceYD: num(`yd${i}_cov`),
    meanC: num(`c${i}_mean`),
    varianceC: num(`c${i}_var`),
    covarianceCY: num(`cy${i}_cov`)
  };
}

/** An experiment's latest assignment or outcome, in epoch milliseconds. */
type LastDataRow = {experiment: string; last_ms: number};

/** The time of each experiment's latest assignment or outcome. */
async function lastData(db: Database): Promise<Map<string, number>> {
  const rows = await db.query<LastDataRow>(`SELECT experiment,
      epoch_ms(max(t))::DOUBLE AS last_ms
    FROM (
      SELECT experiment,
        max(assigned_at) AS t
      FROM assignments
      GROUP BY experiment
      UNION ALL
      SELECT experiment,
        max("at")
      FROM outcomes
      GROUP BY experiment
    )
    GROUP BY experiment`);
  return new Map(rows.map((r) => [r.experiment, r.last_ms]));
}

function readExperiment(
  e: ExperimentConfig,
  rows: MomentRow[],
  daily: DailyRow[],
  lastMs: number | null,
  traffic: Map<string, ArmTraffic>
): ExperimentReadout {
  const variants = Object.keys(e.variants);
  const observed = variants.map((v) => rows.find((r) => r.variant === v && r.attribute === "")?.n ?? 0);
  const units = observed.reduce((a, b) => a + b, 0);
  const start = Date.parse(e.start);
  const last = lastMs ?? start;
  const daysRun = Math.max(1, Math.ceil((last - start) / DAY_MS));
  const status = statusOf(e, last, units);
  const sampleRatio = {
    ...sampleRatioCheck(
      observed,
      variants.map((v) => e.variants[v])
    ),
    variants
  };
  const unitsPerDay = units / daysRun;
  const comparisons: Comparison[] = [];
  for (const treatment of variants.filter((v) => v !== e.control)) {
    const arms = [traffic.get(armKey(e.name, e.control)), traffic.get(armKey(e.name, treatment))];
    const model = arms[0] || arms[1] ? modelGuardrails(arms[0] ?? NO_TRAFFIC, arms[1] ?? NO_TRAFFIC) : null;
    comparisons.push(compare(e, treatment, rows, daily, {status, sampleRatio, unitsPerDay, units: units, model}));
  }
  return {
    name: e.name,
    description: e.description ?? null,
    control: e.control,
    status,
    start: e.start,
    end: e.end ?? null,
    sampleSize: e.sample_size ?? null,
    lastDataAt: lastMs === null ? null : new Date(lastMs).toISOString(),
    daysRun,
    unitsPerDay,
    minimumEffect: e.minimum_effect,
    primaryMetric: e.primary.name,
    sampleRatio,
    comparisons,
    verdict: headline(comparisons, sampleRatio)
  };
}

/**
 * Stopped when the config says so; ready to decide once the data reach the planned end (its last day
 * is in: the end is exclusive) or the planned sample size; running otherwise.
 */
export function statusOf(
  e: Pick<ExperimentConfig, "stopped" | "end" | "sample_size">,
  lastDataMs: number,
  units: number
): ExperimentStatus {
  if (e.stopped) return "stopped";
  if (e.end !== undefined && lastDataMs >= Date.parse(e.end) - DAY_MS) return "ready to decide";
  if (e.sample_size !== undefined && units >= e.sample_size) return "ready to decide";
  return "running";
}

function compare(
  e: ExperimentConfig,
  treatment: string,
  rows: MomentRow[],
  dailyRows: DailyRow[],
  ctx: {
    status: ExperimentStatus;
    sampleRatio: SampleRatioCheck;
    unitsPerDay: number;
    units: number;
    model: ModelGuardrail[] | null;
  }
): Comparison {
  const metrics = metricsOf(e);
  const arm = (variant: string, attribute = "", level = "") =>
    rows.find((r) => r.variant === variant && r.attribute === attribute && r.level === level);
  const effect = (i: number, attribute = "", level = "") => {
    const t = armSummary(arm(treatment, attribute, level), i);
    const c = armSummary(arm(e.control, attribute, level), i);
    return t && c ? metricEffect(metrics[i], t, c, e.minimum_effect) : null;
  };
  const primary = effect(0);
  const guardrails = metrics
    .slice(1)
    .map((_, k) => effect(k + 1))
    .filter((g): g is MetricEffect => g !== null);
  const segments = segmentEffects(e, rows, (i, a, l) => effect(i, a, l), metrics);
  const power = powerOf(e, primary, ctx.units, ctx.unitsPerDay);
  const daily = metrics[0].kind === "ratio" ? [] : dailyLooks(dailyRows, e, treatment);
  const harms: SegmentHarm[] = segments
    .filter((s) => s.harmful)
    .map((s) => ({metric: s.metric, attribute: s.attribute, level: s.level, relative: s.relative, q: s.q}));
  const verdict = experimentVerdict({
    status: ctx.status,
    sampleRatioMismatch: ctx.sampleRatio.mismatch,
    sampleRatioP: ctx.sampleRatio.pValue,
    primary,
    guardrails,
    segmentHarms: harms,
    daysToMinimumEffect: power.daysToMinimumEffect,
    naiveSignificantDays: daily.filter((d) => d.naiveP < 0.05).map((d) => d.day),
    modelGuardrailBreaches: (ctx.model ?? []).filter((g) => g.breached).map((g) => g.name)
  });
  return {treatment, primary, guardrails, segments, power, daily, modelGuardrails: ctx.model, verdict};
}

function segmentEffects(
  e: ExperimentConfig,
  rows: MomentRow[],
  effect: (i: number, attribute: string, level: string) => MetricEffect | null,
  metrics: ExperimentMetric[]
): SegmentEffect[] {
  const found: Omit<SegmentEffect, "q" | "harmful">[] = [];
  for (const attribute of e.segments) {
    const levels = rows
      .filter((r) => r.attribute === attribute && r.variant === e.control)
      .sort((a, b) => b.n - a.n || a.level.localeCompare(b.level))
      .slice(0, SEGMENT_LEVELS);
    for (const {level} of levels)
      metrics.forEach((m, i) => {
        const r = effect(i, attribute, level);
        if (r)
          found.push({
            attribute,
            level,
            metric: m.name,
            controlUnits: r.control.n,
            treatmentUnits: r.treatment.n,
            relative: r.relative?.estimate ?? null,
            low: r.relative?.low ?? null,
            high: r.relative?.high ?? null,
            pValue: r.absolute.pValue
          });
      });
  }
  const q = benjaminiHochberg(found.map((s) => s.pValue));
  return found.map((s, i) => {
    const m = metrics.find((x) => x.name === s.metric)!;
    const worse = s.relative !== null && (m.better === "higher" ? s.relative < 0 : s.relative > 0);
    return {...s, q: q[i], harmful: worse && q[i] < 0.05};
  });
}

function powerOf(
  e: ExperimentConfig,
  primary: MetricEffect | null,
  units: number,
  unitsPerDay: number
): Comparison["power"] {
  if (!primary || primary.control.value === 0) return {mdeRelative: null, unitsNeeded: null, daysToMinimumEffect: null};
  const mde = mdeFromStandardError(primary.absolute.standardError);
  const target = e.minimum_effect * Math.abs(primary.control.value);
  const needed = Math.ceil(unitsForEffect(units, mde, target));
  return {
    mdeRelative: mde / Math.abs(primary.control.value),
    unitsNeeded: needed,
    daysToMinimumEffect: daysToReach(needed, units, unitsPerDay)
  };
}

const armKey = (experiment: string, variant: string) => JSON.stringify([experiment, variant]);
const NO_TRAFFIC: ArmTraffic = {
  requests: 0,
  failed: 0,
  costed: 0,
  costMean: null,
  costVariance: null,
  latencyP95: quantileInterval([], 0.95),
  traces: 0,
  flaggedTraces: 0,
  actions: 0,
  corrected: 0,
  ignored: 0
};

/** An arm's llm calls: how many, how many failed, and the mean and variance of their cost. */
type CallRow = {
  experiment: string;
  variant: string;
  requests: number;
  failed: number;
  costed: number;
  cost_mean: number | null;
  cost_var: number | null;
};

/** One order statistic (1-based rank) of an arm's call latencies. */
type OrderStatisticRow = {experiment: string; variant: string; rank: number; duration_ms: number};

/** An arm's traces, and how many of them were flagged. */
type ArmTracesRow = {experiment: string; variant: string; traces: number; flagged: number};

/** An arm's corrections: every action, those that corrected the output, and those that ignored it. */
type ArmActionsRow = {experiment: string; variant: string; actions: number; corrected: number; ignored: number};

/**
 * The configured arms' traffic from traces and corrections. A trace belongs to the arm its spans name
 * (on any span: a flag SDK tags the span that evaluated the flag, often the root); a trace naming two
 * variants of one experiment is left out, as its arm cannot be known. Its llm calls are the arm's
 * requests, and its flags (by trace_id) the arm's flags. A correction belongs to the arm it names, else
 * to its trace's.
 */
async function armTraffic(db: Database, experiments: readonly ExperimentConfig[]): Promise<Map<string, ArmTraffic>> {
  const arms = experiments
    .flatMap((e) => Object.keys(e.variants).map((v) => `(${quotedString(e.name)}, ${quotedString(v)})`))
    .join(", ");
  const armed = `arms (experiment, variant) AS (
      VALUES ${arms}
    ),
    armed AS (
      SELECT t.trace_id,
        t.experiment,
        t.variant
      FROM (
        SELECT trace_id,
          experiment,
          min(variant) AS variant
        FROM spans
        WHERE experiment IS NOT NULL
          AND variant IS NOT NULL
        GROUP BY trace_id, experiment
        HAVING count(DISTINCT variant) = 1
      ) t
      JOIN arms USING (experiment, variant)
    ),
    calls AS (
      SELECT a.experiment,
        a.variant,
        s.duration_ms,
        s.cost_usd,
        s.status
      FROM spans s
      JOIN armed a USING (trace_id)
      WHERE s.kind = 'llm'
    )`;
  const calls = await db.query<CallRow>(`WITH ${armed}
    SELECT experiment,
      variant,
      count(*)::INTEGER AS requests,
      count(*) FILTER (status = 'error')::INTEGER AS failed,
      count(cost_usd)::INTEGER AS costed,
      avg(cost_usd)::DOUBLE AS cost_mean,
      var_samp(cost_usd)::DOUBLE AS cost_var
    FROM calls
    GROUP BY ALL`);
  // The p95's point estimate and interval need four order statistics per arm, not every latency.
  const wanted = calls.flatMap((c) =>
    orderStatisticIndexes(c.requests).map(
      (i) => `(${quotedString(c.experiment)}, ${quotedString(c.variant)}, ${i + 1})`
    )
  );
  const stats = wanted.length
    ? await db.query<OrderStatisticRow>(`WITH ${armed},
      wanted (experiment, variant, rank) AS (
        VALUES ${wanted.join(", ")}
      ),
      ranked AS (
        SELECT experiment,
          variant,
          duration_ms::DOUBLE AS duration_ms,
          row_number() OVER (PARTITION BY experiment, variant ORDER BY duration_ms)::INTEGER AS rank
        FROM calls
      )
    SELECT experiment,
      variant,
      rank,
      duration_ms
    FROM ranked
    JOIN wanted USING (experiment, variant, rank)`)
    : [];
  const traces = await db.query<ArmTracesRow>(`WITH ${armed}
    SELECT experiment,
      variant,
      count(*)::INTEGER AS traces,
      count(*) FILTER (trace_id IN (SELECT trace_id FROM flags WHERE trace_id IS NOT NULL))::INTEGER AS flagged
    FROM armed
    GROUP BY ALL`);
  const actions = await db.query<ArmActionsRow>(`WITH ${armed},
      acts AS (
        SELECT coalesce(c.experiment, a.experiment) AS experiment,
          coalesce(c.variant, a.variant) AS variant,
          c.action
        FROM corrections c
        LEFT JOIN armed a ON c.variant IS NULL AND c.trace_id = a.trace_id
      )
    SELECT experiment,
      variant,
      count(*)::INTEGER AS actions,
      count(*) FILTER (action IN ('edited', 'rejected', 'escalated'))::INTEGER AS corrected,
      count(*) FILTER (action = 'ignored')::INTEGER AS ignored
    FROM acts
    JOIN arms USING (experiment, variant)
    GROUP BY ALL`);
  const traffic = new Map<string, ArmTraffic>();
  const arm = (experiment: string, variant: string) => {
    const key = armKey(experiment, variant);
    if (!traffic.has(key)) traffic.set(key, {...NO_TRAFFIC});
    return traffic.get(key)!;
  };
  for (const c of calls) {
    const sparse: Record<number, number> & {length: number} = {length: c.requests};
    for (const r of stats)
      if (r.experiment === c.experiment && r.variant === c.variant) sparse[r.rank - 1] = r.duration_ms;
    Object.assign(arm(c.experiment, c.variant), {
      requests: c.requests,
      failed: c.failed,
      costed: c.costed,
      costMean: c.cost_mean,
      costVariance: c.cost_var,
      latencyP95: quantileInterval(sparse, 0.95)
    });
  }
  for (const t of traces) Object.assign(arm(t.experiment, t.variant), {traces: t.traces, flaggedTraces: t.flagged});
  for (const a of actions)
    Object.assign(arm(a.experiment, a.variant), {actions: a.actions, corrected: a.corrected, ignored: a.ignored});
  return traffic;
}

/** The 0-based indexes of the sorted latencies that quantileInterval reads for the p95 of n values. */
function orderStatisticIndexes(n: number): number[] {
  if (n === 0) return [];
  const h = Math.floor((n - 1) * 0.95);
  const {lowRank, highRank} = orderStatisticRanks(n, 0.95);
  return [
    ...new Set([
      h,
      Math.min(h + 1, n - 1),
      ...(lowRank === null ? [] : [lowRank - 1]),
      ...(highRank === null ? [] : [highRank - 1])
    ])
  ];
}

type DailyRow = {experiment: string; variant: string; day: number; new_units: number; d_sum: number; d_squares: number};

/**
 * Every experiment's primary metric (ratios aside) as it stood at the end of each day since its
 * start: the units assigned by then and their outcomes up to then, as per-day increments of the
 * count of units and of the sums of their values and squared values. A binary unit's value goes from
 * 0 to 1 once, on its first nonzero day, which armMoments finds in its pass over the outcomes; a count
 * or a sum changes on every day it has outcomes, so its increments come from running sums per unit.
 */
async function dailyRows(
  db: Database,
  experiments: readonly ExperimentConfig[],
  firstDays: readonly FirstDayRow[]
): Promise<DailyRow[]> {
  const daily = experiments.filter((e) => e.primary.kind !== "ratio");
  if (!daily.length) return [];
  const rows = new Map<string, DailyRow>();
  const row = (experiment: string, variant: string, day: number) => {
    const key = JSON.stringify([experiment, variant, day]);
    if (!rows.has(key)) rows.set(key, {experiment, variant, day, new_units: 0, d_sum: 0, d_squares: 0});
    return rows.get(key)!;
  };
  for (const a of await arrivals(db, daily)) row(a.experiment, a.variant, a.day).new_units = a.new_units;
  for (const f of firstDays) Object.assign(row(f.experiment, f.variant, f.day), {d_sum: f.units, d_squares: f.units});
  const summed = daily.filter((e) => e.primary.kind !== "binary");
  for (const i of summed.length ? await runningIncrements(db, summed) : [])
    Object.assign(row(i.experiment, i.variant, i.day), {d_sum: i.d_sum, d_squares: i.d_squares});
  return [...rows.values()];
}

/** The units assigned to an arm on an experiment's day. */
type ArrivalRow = {experiment: string; variant: string; day: number; new_units: number};

// Whole days in epoch milliseconds (dayOf): subtracting two TIMESTAMPTZ values goes through the ICU
// calendar (an INTERVAL per row), which cost 14 s on 400,000 assignments where this costs well under one.
async function arrivals(db: Database, experiments: readonly ExperimentConfig[]): Promise<ArrivalRow[]> {
  return db.query<ArrivalRow>(`WITH starts (experiment, start_ms) AS (
      VALUES ${startRows(experiments)}
    )
    SELECT a.experiment,
      a.variant,
      ${dayOf("a.assigned_at", "s.start_ms")} AS day,
      count(*)::INTEGER AS new_units
    FROM assignments a
    JOIN starts s USING (experiment)
    GROUP BY ALL`);
}

/** The change on an experiment's day in an arm's sum of unit values and of their squares. */
type IncrementRow = {experiment: string; variant: string; day: number; d_sum: number; d_squares: number};

/** The daily increments of count and sum primaries, from each unit's running sum of its outcomes. */
async function runningIncrements(db: Database, experiments: readonly ExperimentConfig[]): Promise<IncrementRow[]> {
  const primaries = experiments.map(
    (e) => `(${quotedString(e.name)}, ${quotedString(e.primary.name)}, epoch_ms(${quotedString(e.start)}::TIMESTAMPTZ))`
  );
  // Each outcome carries its unit's key and assignment time, so a unit's per-day values are grouped and
  // windowed by that key (an integer) with no join; the unit's arm is joined once per unit and day.
  return db.query<IncrementRow>(`WITH primaries (experiment, metric, start_ms) AS (
      VALUES ${primaries.join(", ")}
    ),
    per_day AS (
      SELECT o.unit_key,
        ${dayOf("o.at", "p.start_ms")} AS day,
        sum(o.value) AS s
      FROM outcomes o
      JOIN primaries p ON o.experiment = p.experiment AND o.metric = p.metric
      WHERE o.at >= o.unit_assigned_at
      GROUP BY o.unit_key, day
    ),
    cumulative AS (
      SELECT unit_key, day, sum(s) OVER w AS v
      FROM per_day
      WINDOW w AS (PARTITION BY unit_key ORDER BY day)
    ),
    changes AS (
      SELECT unit_key, day, v, coalesce(lag(v) OVER (PARTITION BY unit_key ORDER BY day), 0) AS before
      FROM cumulative
    )
    SELECT u.experiment,
      u.variant,
      c.day,
      sum(c.v - c.before)::DOUBLE AS d_sum,
      sum(c.v * c.v - c.before * c.before)::DOUBLE AS d_squares
    FROM changes c
    JOIN assignments u ON u.unit_key = c.unit_key
    GROUP BY ALL`);
}

/** The daily looks of one comparison from its experiment's daily rows. */
function dailyLooks(rows: readonly DailyRow[], e: ExperimentConfig, treatment: string): DailyLook[] {
  const m = e.primary;
  const lastDay = rows.reduce((d, r) => Math.max(d, r.day), 0);
  const totals: Record<string, {n: number; sum: number; squares: number}> = {
    [e.control]: {n: 0, sum: 0, squares: 0},
    [treatment]: {n: 0, sum: 0, squares: 0}
  };
  const looks: DailyLook[] = [];
  for (let d = 1; d <= lastDay; d++) {
    for (const r of rows.filter((x) => x.day === d && x.variant in totals)) {
      const t = totals[r.variant];
      t.n += r.new_units;
      t.sum += r.d_sum;
      t.squares += r.d_squares;
    }
    const moments = (t: {n: number; sum: number; squares: number}) => ({
      n: t.n,
      mean: t.sum / t.n,
      variance: Math.max(0, (t.squares - (t.sum * t.sum) / t.n) / (t.n - 1))
    });
    const [tt, cc] = [totals[treatment], totals[e.control]];
    if (tt.n < 2 || cc.n < 2) continue;
    const fixed = meanDifference(moments(tt), moments(cc));
    const effect = metricEffect(m, summary(moments(tt)), summary(moments(cc)), e.minimum_effect);
    if (!effect) continue;
    looks.push({
      day: d,
      units: tt.n + cc.n,
      estimate: fixed.absolute.estimate,
      naiveLow: fixed.absolute.low,
      naiveHigh: fixed.absolute.high,
      naiveP: fixed.absolute.pValue,
      alwaysValidLow: effect.alwaysValid.low,
      alwaysValidHigh: effect.alwaysValid.high
    });
  }
  return looks;
}

const summary = (m: {n: number; mean: number; variance: number}): ArmSummary => ({
  n: m.n,
  meanY: m.mean,
  varianceY: m.variance,
  meanD: null,
  varianceD: null,
  covarianceYD: null,
  meanC: null,
  varianceC: null,
  covarianceCY: null
});

/** One verdict for the experiment: a shippable treatment if any, else the first comparison's. */
function headline(comparisons: Comparison[], srm: SampleRatioCheck): ExperimentVerdict {
  if (!comparisons.length) return {verdict: "keep running", reason: "The experiment has no treatment variant."};
  if (srm.mismatch) return comparisons[0].verdict;
  const ship = comparisons.find((c) => c.verdict.verdict === "ship");
  if (ship && comparisons.length > 1) return {verdict: "ship", reason: `${ship.treatment}: ${ship.verdict.reason}`};
  return comparisons[0].verdict;
}
