// The classifiers page: for every binary and multiclass task, per model and per segment, the
// confusion matrix, the threshold sweep, calibration and selective prediction, and paired model
// comparisons. SQL groups the rows (by score, label, predicted); loaders/metrics does the statistics.
import {fillHint} from "../adapters/index.js";
import {resolvePositiveLabel, type ResolvedLabel} from "../metrics/classification/positiveLabel.js";
import {sortLabels} from "../metrics/classification/labels.js";
import type {ErrorCosts} from "../../src/lib/metrics/classification/costOptimalThreshold.js";
import {scoreCounts, type ScoreCounts} from "../metrics/classification/scoreCounts.js";
import {exactMcNemar} from "../../src/lib/metrics/mcnemar.js";
import {wilsonInterval, type Rate} from "../../src/lib/metrics/wilson.js";
import type {WorkbenchConfig} from "../schema/config.js";
import type {Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";
import {sliceResult, type CellColumns, type SliceInputs, type SliceResult} from "./classifierSlices.js";

/** At most this many segments get their own slice (the most frequent); all rows still count in "all segments". */
export const maxSegments = 12;
export const defaultTargetAccuracy = 0.95;
export const noSegment = "(no segment)";

export interface Slice extends SliceResult {
  model: string;
  /** null: all segments. */
  segment: string | null;
}

export interface ModelComparison {
  a: string;
  b: string;
  /** Items both models predicted (same task and id). */
  paired: number;
  aAccuracy: Rate;
  bAccuracy: Rate;
  /** Items only a got right, and only b got right. */
  onlyA: number;
  onlyB: number;
  /** Exact McNemar p-value for "both are equally accurate on these items". */
  p: number;
}

export interface ClassifierTask {
  task: string;
  kind: "binary" | "multiclass";
  rows: number;
  /** Rows without a score: in the confusion matrix, not in the sweep or calibration. */
  unscored: number;
  /** Binary: the positive label, and where it came from. */
  positive: ResolvedLabel | null;
  negativeLabel: string | null;
  labels: string[];
  costs: ErrorCosts & {source: "config" | "default"};
  targetAccuracy: {value: number; source: "config" | "default"};
  models: string[];
  segments: string[];
  segmentsOmitted: number;
  slices: Slice[];
  comparisons: ModelComparison[];
  /** Plain-language problems that kept part of the page from being computed. */
  problems: string[];
}

export interface ClassifiersPage {
  tasks: ClassifierTask[];
  /** Shown when there are no binary or multiclass tasks. */
  hint: string;
}

type Facet = {
  task: string;
  kind: string;
  label: string;
  segment: string;
  positive_label: string | null;
  n: number;
  scored: number;
};

/** The most frequent value (ties: the first in sort order), from (value, count) pairs. */
function mostFrequent(pairs: Iterable<[string, number]>): string | null {
  const totals = new Map<string, number>();
  for (const [v, n] of pairs) totals.set(v, (totals.get(v) ?? 0) + n);
  return [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
}

export async function classifiers(db: Database, workspace: Workspace): Promise<ClassifiersPage> {
  // One pass over the table for what every task needs to know before its own queries.
  const facets = await db.query<Facet>(
    `SELECT task,
       kind,
       label,
       coalesce(segment, '${noSegment}') AS segment,
       positive_label,
       count(*)::INTEGER AS n,
       count(score)::INTEGER AS scored
     FROM predictions
     GROUP BY ALL
     ORDER BY ALL`
  );
  const out: ClassifierTask[] = [];
  for (const task of sortLabels(new Set(facets.map((f) => f.task)))) {
    const own = facets.filter((f) => f.task === task);
    const kind = mostFrequent(own.map((f) => [f.kind, f.n]));
    if (kind === "binary" || kind === "multiclass")
      out.push(await classifierTask(db, workspace.config, task, kind, own));
  }
  return {tasks: out, hint: fillHint("predictions")};
}

async function classifierTask(
  db: Database,
  config: WorkbenchConfig,
  task: string,
  kind: "binary" | "multiclass",
  facets: Facet[]
): Promise<ClassifierTask> {
  const settings = config.classifiers.find((c) => c.task === task);
  const problems: string[] = [];
  const rows = facets.reduce((a, f) => a + f.n, 0);
  const unscored = rows - facets.reduce((a, f) => a + f.scored, 0);
  if (new Set(facets.map((f) => f.kind)).size > 1)
    problems.push(`Task ${task} mixes kinds of rows; all are read as ${kind}.`);
  const observed = sortLabels(new Set(facets.map((f) => f.label)));
  const fromRows = mostFrequent(facets.filter((f) => f.positive_label !== null).map((f) => [f.positive_label!, f.n]));
  const positive =
    kind === "binary" ? resolvePositiveLabel(observed, {configured: settings?.positive_label, fromRows}) : null;
  const negativeLabel = kind === "binary" && positive ? negativeOf(observed, positive.label) : null;
  if (kind === "binary" && !positive) {
    problems.push(
      `Cannot tell which label of ${task} is positive (labels: ${observed.join(", ")}). Set classifiers[].positive_label for task "${task}" in workbench.config.json.`
    );
  }
  const costs = settings
    ? {
        falsePositive: settings.cost_false_positive,
        falseNegative: settings.cost_false_negative,
        source: "config" as const
      }
    : {falsePositive: 1, falseNegative: 1, source: "default" as const};
  const targetAccuracy = settings?.target_accuracy
    ? {value: settings.target_accuracy, source: "config" as const}
    : {value: defaultTargetAccuracy, source: "default" as const};
  const shipped = shippedSql(kind, positive?.label ?? null, negativeLabel);
  const bind = {task, positive: positive?.label ?? "", negative: negativeLabel ?? ""};
  const {segments, omitted} = topSegments(facets);
  const pairs = await pairRows(db, shipped, bind);
  const labels = sortLabels([...observed, ...pairs.map((p) => p.predicted)]);
  const models = sortLabels(new Set(pairs.map((p) => p.model)));
  const scored =
    kind === "binary" && !positive
      ? new Map<string, ScoredRun>()
      : await scoredRuns(db, kind, shipped, bind, {models, segments, labels});
  const slices: Slice[] = [];
  for (const model of models) {
    for (const segment of [null, ...segments]) {
      const inputs = sliceInputs(pairs, scored, model, segment);
      if (!inputs.pairs.length) continue;
      slices.push({model, segment, ...sliceResult(inputs, {labels, costs, targetAccuracy: targetAccuracy.value})});
    }
  }
  if (unscored === rows)
    problems.push(
      `No row of ${task} has a score, so there is no threshold to move: add a score column (${kind === "binary" ? "probability of the positive class" : "confidence of the predicted class"}).`
    );
  else if (unscored > 0)
    problems.push(
      `${unscored} of ${rows} rows of ${task} have no score: they count in the confusion matrix but not in the sweep or calibration.`
    );
  return {
    task,
    kind,
    rows,
    unscored,
    positive,
    negativeLabel,
    labels,
    costs,
    targetAccuracy,
    models,
    segments,
    segmentsOmitted: omitted,
    slices,
    comparisons: models.length > 1 ? await compareModels(db, shipped, bind) : [],
    problems
  };
}

function negativeOf(labels: string[], positive: string): string {
  const others = labels.filter((l) => l !== positive);
  return others.length === 1 ? others[0] : `not ${positive}`;
}

/** SQL for the label each row was given as shipped: its predicted column, else (binary) score ≥ 0.5. */
function shippedSql(kind: "binary" | "multiclass", positive: string | null, negative: string | null): string {
  if (kind === "multiclass" || positive === null || negative === null) return "predicted";
  return `coalesce(predicted, CASE WHEN score >= 0.5 THEN $positive WHEN score IS NOT NULL THEN $negative END)`;
}

function topSegments(facets: Facet[]): {segments: string[]; omitted: number} {
  const counts = new Map<string, number>();
  for (const f of facets) counts.set(f.segment, (counts.get(f.segment) ?? 0) + f.n);
  if (counts.size === 1 && counts.has(noSegment)) return {segments: [], omitted: 0};
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return {
    segments: sortLabels(ranked.slice(0, maxSegments).map(([s]) => s)),
    omitted: Math.max(0, ranked.length - maxSegments)
  };
}

type PairRow = {model: string; segment: string; label: string; predicted: string; count: number};

/** Only the parameters a statement uses: DuckDB rejects named parameters it does not find. */
function paramsFor(sql: string, all: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(all).filter(([k]) => sql.includes(`$${k}`)));
}

const baseSql = (shipped: string) =>
  `SELECT model,
      coalesce(segment, '${noSegment}') AS segment,
      label,
      ${shipped} AS predicted,
      score
    FROM predictions
    WHERE task = $task`;

async function pairRows(db: Database, shipped: string, bind: Record<string, string>): Promise<PairRow[]> {
  const sql = `SELECT model,
      segment,
      label,
      predicted,
      count(*)::INTEGER AS count
    FROM (${baseSql(shipped)})
    WHERE predicted IS NOT NULL
    GROUP BY ALL
    ORDER BY ALL`;
  return db.query<PairRow>(sql, paramsFor(sql, bind));
}

interface ScoredRun {
  scores: ScoreCounts;
  confidence?: ScoreCounts;
  cells?: CellColumns;
}

const runKey = (model: string, segment: string | null) =>
  `${model}\u0000${segment ?? ""}\u0000${segment === null ? "all" : "one"}`;

/** SQL mapping a column's values to their position in a list passed as named parameters ($prefix0, …), else −1. */
function indexSql(column: string, values: readonly string[], prefix: string, params: Record<string, string>): string {
  if (!values.length) return "-1";
  values.forEach((v, i) => (params[`${prefix}${i}`] = v));
  return `CASE ${column} ${values.map((_, i) => `WHEN $${prefix}${i} THEN ${i}`).join(" ")} ELSE -1 END`;
}

/**
 * Every scored row as numbers only (score, truth, model and segment positions): a million rows cross
 * from DuckDB in a fraction of a second this way, and scoreCounts sorts them faster than SQL groups them.
 */
async function scoredRuns(
  db: Database,
  kind: "binary" | "multiclass",
  shipped: string,
  bind: Record<string, string>,
  {models, segments, labels}: {models: string[]; segments: string[]; labels: string[]}
): Promise<Map<string, ScoredRun>> {
  const params: Record<string, string> = {};
  const m = indexSql("model", models, "m", params);
  const seg = indexSql("segment", segments, "s", params);
  const select =
    kind === "binary"
      ? `score,
      (label = $positive)::INTEGER AS truth,
      CASE WHEN predicted = $positive THEN score ELSE 1 - score END AS confidence,
      (label = predicted)::INTEGER AS correct`
      : `score,
      ${indexSql("label", labels, "l", params)} AS label,
      ${indexSql("predicted", labels, "l", params)} AS predicted`;
  const sql = `SELECT ${select},
      ${m} AS m,
      ${seg} AS seg
    FROM (${baseSql(shipped)})
    WHERE score IS NOT NULL
      AND predicted IS NOT NULL`;
  const rows = (await db.columns(sql, {...paramsFor(sql, bind), ...params})) as Record<string, number[]>;
  // Counting sort of row numbers by (model, segment): each slice, and each model's all-segments slice, is one range.
  const k = segments.length + 1;
  const bucket = Int32Array.from(rows.m, (mi, r) => mi * k + rows.seg[r] + 1);
  const offsets = new Int32Array(models.length * k + 1);
  for (const b of bucket) offsets[b + 1]++;
  for (let b = 0; b < models.length * k; b++) offsets[b + 1] += offsets[b];
  const order = new Int32Array(bucket.length);
  const next = offsets.slice(0, -1);
  bucket.forEach((b, r) => (order[next[b]++] = r));
  const out = new Map<string, ScoredRun>();
  models.forEach((model, mi) => {
    const ranges: [string | null, number, number][] = [
      [null, offsets[mi * k], offsets[mi * k + k]],
      ...segments.map((s, si) => [s, offsets[mi * k + si + 1], offsets[mi * k + si + 2]] as [string, number, number])
    ];
    for (const [segment, start, end] of ranges) {
      if (end === start) continue;
      const take = order.subarray(start, end);
      out.set(runKey(model, segment), kind === "binary" ? binaryRun(rows, take) : multiclassRun(rows, take));
    }
  });
  return out;
}

function pick(column: number[], rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = column[rows[i]];
  return out;
}

function binaryRun(rows: Record<string, number[]>, take: Int32Array): ScoredRun {
  return {
    scores: scoreCounts(pick(rows.score, take), pick(rows.truth, take)),
    confidence: scoreCounts(pick(rows.confidence, take), pick(rows.correct, take))
  };
}

function multiclassRun(rows: Record<string, number[]>, take: Int32Array): ScoredRun {
  const label = pick(rows.label, take);
  const predicted = pick(rows.predicted, take);
  const score = pick(rows.score, take);
  return {
    scores: scoreCounts(
      score,
      label.map((l, i) => (l === predicted[i] ? 1 : 0))
    ),
    cells: {score, label, predicted, count: new Float64Array(take.length).fill(1)}
  };
}

const noScores: ScoreCounts = {
  scores: new Float64Array(0),
  positives: new Float64Array(0),
  negatives: new Float64Array(0)
};

function sliceInputs(
  pairs: PairRow[],
  scored: Map<string, ScoredRun>,
  model: string,
  segment: string | null
): SliceInputs {
  const keep = (r: PairRow) => r.model === model && (segment === null || r.segment === segment);
  const run = scored.get(runKey(model, segment));
  return {
    pairs: pairs.filter(keep).map(({label, predicted, count}) => ({label, predicted, count})),
    scores: run?.scores ?? noScores,
    ...(run?.confidence ? {confidence: run.confidence} : {}),
    ...(run?.cells ? {cells: run.cells} : {})
  };
}

/** Two models on the same items (same id): who is right where the other is wrong, with an exact McNemar test. */
/** Two models' predictions on the same items: how many, right for each, and right for one alone. */
type ComparisonRow = {
  a: string;
  b: string;
  paired: number;
  a_correct: number;
  b_correct: number;
  only_a: number;
  only_b: number;
};

async function compareModels(db: Database, shipped: string, bind: Record<string, string>): Promise<ModelComparison[]> {
  const sql = `WITH s AS (
      SELECT model, id, label = ${shipped} AS correct
      FROM predictions
      WHERE task = $task
        AND ${shipped} IS NOT NULL
    )
    SELECT a.model AS a,
      b.model AS b,
      count(*)::INTEGER AS paired,
      count(*) FILTER (WHERE a.correct)::INTEGER AS a_correct,
      count(*) FILTER (WHERE b.correct)::INTEGER AS b_correct,
      count(*) FILTER (WHERE a.correct AND NOT b.correct)::INTEGER AS only_a,
      count(*) FILTER (WHERE b.correct AND NOT a.correct)::INTEGER AS only_b
    FROM s a
    JOIN s b ON a.id = b.id AND a.model < b.model
    GROUP BY ALL
    ORDER BY a, b`;
  const rows = await db.query<ComparisonRow>(sql, paramsFor(sql, bind));
  return rows.map((r) => ({
    a: r.a,
    b: r.b,
    paired: r.paired,
    aAccuracy: wilsonInterval(r.a_correct, r.paired),
    bAccuracy: wilsonInterval(r.b_correct, r.paired),
    onlyA: r.only_a,
    onlyB: r.only_b,
    p: exactMcNemar(r.only_a, r.only_b).pValue
  }));
}
