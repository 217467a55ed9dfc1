// The classifiers page: for every binary and multiclass task, per model and per segment, the
// confusion matrix, the threshold sweep, calibration and selective prediction, and paired model
// comparisons. SQL groups the rows (by score, label, predicted); loaders/metrics does the statistics.
import {fillHint} from "../adapters/index.js";
import {resolvePositiveLabel, type ResolvedLabel} from "../metrics/classification/positiveLabel.js";
import {sortLabels} from "../metrics/classification/labels.js";
import type {ErrorCosts} from "../metrics/classification/costOptimalThreshold.js";
import type {ScoreGroup} from "../metrics/classification/scoreCounts.js";
import {exactMcNemar} from "../metrics/mcnemar.js";
import {wilsonInterval, type Rate} from "../metrics/wilson.js";
import type {WorkbenchConfig} from "../schema/config.js";
import type {Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";
import {sliceResult, type CellGroup, type SliceInputs, type SliceResult} from "./classifierSlices.js";

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

export async function classifiers(db: Database, workspace: Workspace): Promise<ClassifiersPage> {
  const tasks = await db.query<{task: string; kind: "binary" | "multiclass"}>(
    `SELECT task, mode(kind ORDER BY kind) AS kind FROM predictions GROUP BY task HAVING mode(kind ORDER BY kind) IN ('binary', 'multiclass') ORDER BY task`,
  );
  const out: ClassifierTask[] = [];
  for (const {task, kind} of tasks) out.push(await classifierTask(db, workspace.config, task, kind));
  return {tasks: out, hint: fillHint("predictions")};
}

async function classifierTask(db: Database, config: WorkbenchConfig, task: string, kind: "binary" | "multiclass"): Promise<ClassifierTask> {
  const settings = config.classifiers.find((c) => c.task === task);
  const problems: string[] = [];
  const [stats] = await db.query<{rows: number; unscored: number; kinds: number; positive_label: string | null}>(
    `SELECT count(*)::INTEGER AS rows, count(*) FILTER (WHERE score IS NULL)::INTEGER AS unscored,
       count(DISTINCT kind)::INTEGER AS kinds, mode(positive_label ORDER BY positive_label) AS positive_label
     FROM predictions WHERE task = $task`,
    {task},
  );
  if (stats.kinds > 1) problems.push(`Task ${task} mixes kinds of rows; all are read as ${kind}.`);
  const observed = (await db.query<{label: string}>(`SELECT DISTINCT label FROM predictions WHERE task = $task`, {task})).map((r) => r.label);
  const positive = kind === "binary" ? resolvePositiveLabel(sortLabels(observed), {configured: settings?.positive_label, fromRows: stats.positive_label}) : null;
  const negativeLabel = kind === "binary" && positive ? negativeOf(observed, positive.label) : null;
  if (kind === "binary" && !positive) {
    problems.push(`Cannot tell which label of ${task} is positive (labels: ${sortLabels(observed).join(", ")}). Set classifiers[].positive_label for task "${task}" in workbench.config.json.`);
  }
  const costs = settings ? {falsePositive: settings.cost_false_positive, falseNegative: settings.cost_false_negative, source: "config" as const} : {falsePositive: 1, falseNegative: 1, source: "default" as const};
  const targetAccuracy = settings?.target_accuracy ? {value: settings.target_accuracy, source: "config" as const} : {value: defaultTargetAccuracy, source: "default" as const};
  const shipped = shippedSql(kind, positive?.label ?? null, negativeLabel);
  const bind = {task, positive: positive?.label ?? "", negative: negativeLabel ?? ""};
  const {segments, omitted} = await topSegments(db, task);
  const groups = await groupedRows(db, kind, shipped, bind, positive !== null);
  const labels = sortLabels([...observed, ...groups.pairs.map((p) => p.predicted)]);
  const models = sortLabels(new Set(groups.pairs.map((p) => p.model)));
  const slices: Slice[] = [];
  for (const model of models) {
    for (const segment of [null, ...segments]) {
      const inputs = sliceInputs(groups, model, segment, kind);
      if (!inputs.pairs.length) continue;
      slices.push({model, segment, ...sliceResult(inputs, {labels, costs, targetAccuracy: targetAccuracy.value})});
    }
  }
  if (stats.unscored === stats.rows) problems.push(`No row of ${task} has a score, so there is no threshold to move: add a score column (${kind === "binary" ? "probability of the positive class" : "confidence of the predicted class"}).`);
  else if (stats.unscored > 0) problems.push(`${stats.unscored} of ${stats.rows} rows of ${task} have no score: they count in the confusion matrix but not in the sweep or calibration.`);
  return {
    task, kind, rows: stats.rows, unscored: stats.unscored, positive, negativeLabel, labels, costs, targetAccuracy, models,
    segments, segmentsOmitted: omitted, slices, comparisons: await compareModels(db, shipped, bind), problems,
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

async function topSegments(db: Database, task: string): Promise<{segments: string[]; omitted: number}> {
  const rows = await db.query<{segment: string}>(
    `SELECT coalesce(segment, '${noSegment}') AS segment FROM predictions WHERE task = $task GROUP BY 1 ORDER BY count(*) DESC, 1`,
    {task},
  );
  if (rows.length === 1 && rows[0].segment === noSegment) return {segments: [], omitted: 0};
  return {segments: sortLabels(rows.slice(0, maxSegments).map((r) => r.segment)), omitted: Math.max(0, rows.length - maxSegments)};
}

interface Grouped {
  pairs: {model: string; segment: string; label: string; predicted: string; count: number}[];
  scores: {model: string; segment: string; score: number; positives: number; negatives: number}[];
  cells: {model: string; segment: string; score: number; label: string; predicted: string; count: number}[];
  confidence: {model: string; segment: string; score: number; positives: number; negatives: number}[];
}

/** Only the parameters a statement uses: DuckDB rejects named parameters it does not find. */
function paramsFor(sql: string, all: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(all).filter(([k]) => sql.includes(`$${k}`)));
}

async function groupedRows(db: Database, kind: "binary" | "multiclass", shipped: string, bind: Record<string, string>, hasPositive: boolean): Promise<Grouped> {
  const base = `SELECT model, coalesce(segment, '${noSegment}') AS segment, label, ${shipped} AS predicted, score FROM predictions WHERE task = $task`;
  const query = <T extends Record<string, unknown>>(sql: string) => db.query<T>(sql, paramsFor(sql, bind));
  const pairs = await query<Grouped["pairs"][number]>(`SELECT model, segment, label, predicted, count(*)::INTEGER AS count FROM (${base}) WHERE predicted IS NOT NULL GROUP BY ALL`);
  if (kind === "multiclass") {
    const cells = await query<Grouped["cells"][number]>(
      `SELECT model, segment, score, label, predicted, count(*)::INTEGER AS count FROM (${base}) WHERE predicted IS NOT NULL AND score IS NOT NULL GROUP BY ALL`,
    );
    return {pairs, cells, scores: [], confidence: []};
  }
  if (!hasPositive) return {pairs, cells: [], scores: [], confidence: []};
  const scores = await query<Grouped["scores"][number]>(
    `SELECT model, segment, score, count(*) FILTER (WHERE label = $positive)::INTEGER AS positives,
       count(*) FILTER (WHERE label <> $positive)::INTEGER AS negatives
     FROM (${base}) WHERE score IS NOT NULL GROUP BY ALL`,
  );
  // Confidence in the label given: P(positive) when it said positive, 1 − P(positive) otherwise.
  const confidence = await query<Grouped["confidence"][number]>(
    `SELECT model, segment, CASE WHEN predicted = $positive THEN score ELSE 1 - score END AS score,
       count(*) FILTER (WHERE label = predicted)::INTEGER AS positives, count(*) FILTER (WHERE label <> predicted)::INTEGER AS negatives
     FROM (${base}) WHERE score IS NOT NULL AND predicted IS NOT NULL GROUP BY ALL`,
  );
  return {pairs, cells: [], scores, confidence};
}

function sliceInputs(g: Grouped, model: string, segment: string | null, kind: "binary" | "multiclass"): SliceInputs {
  const keep = (r: {model: string; segment: string}) => r.model === model && (segment === null || r.segment === segment);
  const pairs = g.pairs.filter(keep).map(({label, predicted, count}) => ({label, predicted, count}));
  if (kind === "multiclass") {
    const cells: CellGroup[] = g.cells.filter(keep).map(({score, label, predicted, count}) => ({score, label, predicted, count}));
    const scores: ScoreGroup[] = cells.map((c) => ({score: c.score, positives: c.label === c.predicted ? c.count : 0, negatives: c.label === c.predicted ? 0 : c.count}));
    return {pairs, scores, cells};
  }
  const strip = ({score, positives, negatives}: ScoreGroup) => ({score, positives, negatives});
  return {pairs, scores: g.scores.filter(keep).map(strip), ...(g.confidence.length ? {confidence: g.confidence.filter(keep).map(strip)} : {})};
}

/** Two models on the same items (same id): who is right where the other is wrong, with an exact McNemar test. */
async function compareModels(db: Database, shipped: string, bind: Record<string, string>): Promise<ModelComparison[]> {
  const sql = `WITH s AS (SELECT model, id, label = ${shipped} AS correct FROM predictions WHERE task = $task AND ${shipped} IS NOT NULL)
    SELECT a.model AS a, b.model AS b, count(*)::INTEGER AS paired,
      count(*) FILTER (WHERE a.correct)::INTEGER AS a_correct, count(*) FILTER (WHERE b.correct)::INTEGER AS b_correct,
      count(*) FILTER (WHERE a.correct AND NOT b.correct)::INTEGER AS only_a, count(*) FILTER (WHERE b.correct AND NOT a.correct)::INTEGER AS only_b
    FROM s a JOIN s b ON a.id = b.id AND a.model < b.model GROUP BY ALL ORDER BY a, b`;
  const rows = await db.query<{a: string; b: string; paired: number; a_correct: number; b_correct: number; only_a: number; only_b: number}>(sql, paramsFor(sql, bind));
  return rows.map((r) => ({
    a: r.a, b: r.b, paired: r.paired,
    aAccuracy: wilsonInterval(r.a_correct, r.paired), bAccuracy: wilsonInterval(r.b_correct, r.paired),
    onlyA: r.only_a, onlyB: r.only_b, p: exactMcNemar(r.only_a, r.only_b).pValue,
  }));
}
