// The judges page: an LLM grader against human labels on the same items. Agreement with its n and
// interval, Cohen's kappa with its interval, the judge-vs-human confusion matrix, and which way the
// judge errs: lenient (passes what people failed) or strict (fails what people passed), with an exact
// McNemar test of the lean. Numeric verdicts (0–1 harm, 1–5 Likert) also get MAE and the mean bias.
import {cohenKappa, kappaInterval, type KappaInterval} from "../metrics/classification/cohenKappa.js";
import {confusionMatrix, type ConfusionMatrix} from "../metrics/classification/confusionMatrix.js";
import {allNumeric, sortLabels} from "../metrics/classification/labels.js";
import {resolveJudgeVerdicts, type JudgeVerdicts} from "../metrics/classification/positiveLabel.js";
import {scoreAgreement, type ScoreAgreement} from "../metrics/classification/scoreAgreement.js";
import {exactMcNemar} from "../../src/lib/metrics/mcnemar.js";
import {wilsonInterval, type Rate} from "../../src/lib/metrics/wilson.js";
import type {Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";
import {maxSegments, noSegment} from "./classifiers.js";

export interface Lean {
  /** Judge passed what people failed. */
  lenient: number;
  /** Judge failed what people passed. */
  strict: number;
  /** lenient / items people failed. */
  lenientRate: Rate;
  /** strict / items people passed. */
  strictRate: Rate;
  humanPassRate: Rate;
  judgePassRate: Rate;
  /** Exact McNemar p-value for "the judge errs as often each way". */
  p: number;
  /** lenient or strict when the lean is significant at 5%, else balanced. */
  direction: "lenient" | "strict" | "balanced";
}

export interface JudgeSlice {
  segment: string | null;
  n: number;
  agreement: Rate;
  kappa: KappaInterval | null;
  /** Kappa is undefined when both raters gave one and the same label throughout. */
  kappaUndefined: string | null;
  lean: Lean | null;
}

export interface JudgeModel {
  model: string;
  n: number;
  /** Rows are the human labels, columns the judge's. */
  matrix: ConfusionMatrix;
  agreement: Rate;
  kappa: KappaInterval | null;
  kappaUndefined: string | null;
  /** Ordinal numeric labels only: quadratic-weighted kappa (labels by position, as sklearn). */
  quadraticKappa: number | null;
  lean: Lean | null;
  /** Largest disagreements for more than two labels: human label, judge label, count, share of that human label. */
  confusions: {human: string; judge: string; count: number; share: Rate}[];
  numeric: ScoreAgreement | null;
  bySegment: JudgeSlice[];
}

export interface JudgeTask {
  task: string;
  rows: number;
  labels: string[];
  verdicts: JudgeVerdicts | null;
  models: JudgeModel[];
  problems: string[];
}

export interface JudgesPage {
  tasks: JudgeTask[];
  hint: string;
}

type Pair = {model: string; segment: string; label: string; predicted: string; count: number};

/** A task whose rows are mostly judge verdicts. */
type TaskRow = {task: string};

/** A judge task's rows, and how many of them have no verdict. */
type RowsRow = {rows: number; missing: number};

export async function classifierJudges(db: Database, workspace: Workspace): Promise<JudgesPage> {
  const tasks = await db.query<TaskRow>(
    `SELECT task
     FROM predictions
     GROUP BY task
     HAVING mode(kind ORDER BY kind) = 'judge'
     ORDER BY task`
  );
  const out: JudgeTask[] = [];
  for (const {task} of tasks) {
    const configured = workspace.config.classifiers.find((c) => c.task === task)?.positive_label;
    out.push(await judgeTask(db, task, configured));
  }
  return {
    tasks: out,
    hint: `Add a CSV with human_label and judge_label columns, one row per graded item, or predictions rows with kind "judge" (docs/classifiers.md).`
  };
}

async function judgeTask(db: Database, task: string, configured: string | undefined): Promise<JudgeTask> {
  const pairs = await db.query<Pair>(
    `SELECT model,
       coalesce(segment, '${noSegment}') AS segment,
       label,
       predicted,
       count(*)::INTEGER AS count
     FROM predictions
     WHERE task = $task
       AND predicted IS NOT NULL
     GROUP BY ALL
     ORDER BY ALL`,
    {task}
  );
  const [{rows, missing}] = await db.query<RowsRow>(
    `SELECT count(*)::INTEGER AS rows,
       count(*) FILTER (WHERE predicted IS NULL)::INTEGER AS missing
     FROM predictions
     WHERE task = $task`,
    {task}
  );
  const problems: string[] = [];
  if (missing)
    problems.push(
      `${missing} of ${rows} rows of ${task} have no judge verdict (predicted / judge_label) and are left out.`
    );
  const labels = sortLabels(pairs.flatMap((p) => [p.label, p.predicted]));
  const verdicts = resolveJudgeVerdicts(labels, configured);
  if (labels.length === 2 && !verdicts)
    problems.push(
      `Cannot tell which verdict of ${task} is the failing one (labels: ${labels.join(", ")}). Set classifiers[].positive_label to it for task "${task}" in workbench.config.json.`
    );
  const segments = topSegments(pairs);
  const models = sortLabels(new Set(pairs.map((p) => p.model)));
  return {
    task,
    rows,
    labels,
    verdicts,
    models: models.map((m) =>
      judgeModel(
        pairs.filter((p) => p.model === m),
        m,
        labels,
        verdicts,
        segments
      )
    ),
    problems
  };
}

function topSegments(pairs: Pair[]): string[] {
  const counts = new Map<string, number>();
  for (const p of pairs) counts.set(p.segment, (counts.get(p.segment) ?? 0) + p.count);
  if (counts.size === 1 && counts.has(noSegment)) return [];
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, maxSegments);
  return sortLabels(top.map(([s]) => s));
}

function judgeModel(
  pairs: Pair[],
  model: string,
  labels: string[],
  verdicts: JudgeVerdicts | null,
  segments: string[]
): JudgeModel {
  const whole = judgeSlice(pairs, null, labels, verdicts);
  const matrix = confusionMatrix(pairs, labels);
  const ordinal = labels.length > 2 && allNumeric(labels);
  return {
    model,
    n: whole.n,
    matrix,
    agreement: whole.agreement,
    kappa: whole.kappa,
    kappaUndefined: whole.kappaUndefined,
    quadraticKappa: ordinal ? cohenKappa(matrix, "quadratic") : null,
    lean: whole.lean,
    confusions: labels.length > 2 ? topConfusions(matrix) : [],
    numeric: allNumeric(labels) ? scoreAgreement(...expand(pairs)) : null,
    bySegment: segments
      .map((s) =>
        judgeSlice(
          pairs.filter((p) => p.segment === s),
          s,
          labels,
          verdicts
        )
      )
      .filter((s) => s.n > 0)
  };
}

function judgeSlice(
  pairs: Pair[],
  segment: string | null,
  labels: string[],
  verdicts: JudgeVerdicts | null
): JudgeSlice {
  const matrix = confusionMatrix(pairs, labels);
  const n = pairs.reduce((a, p) => a + p.count, 0);
  const agree = pairs.reduce((a, p) => a + (p.label === p.predicted ? p.count : 0), 0);
  const kappa = n ? kappaInterval(matrix) : null;
  return {
    segment,
    n,
    agreement: wilsonInterval(agree, n),
    kappa,
    kappaUndefined:
      n && !kappa
        ? `every item got the same label from both (${pairs[0].label}): agreement beyond chance is undefined`
        : null,
    lean: verdicts && n ? lean(pairs, verdicts) : null
  };
}

function lean(pairs: Pair[], {fail, pass}: JudgeVerdicts): Lean {
  const count = (human: string, judge: string) =>
    pairs.reduce((a, p) => a + (p.label === human && p.predicted === judge ? p.count : 0), 0);
  const total = (f: (p: Pair) => boolean) => pairs.reduce((a, p) => a + (f(p) ? p.count : 0), 0);
  const n = total(() => true);
  const lenient = count(fail, pass);
  const strict = count(pass, fail);
  const p = exactMcNemar(lenient, strict).pValue;
  return {
    lenient,
    strict,
    lenientRate: wilsonInterval(
      lenient,
      total((x) => x.label === fail)
    ),
    strictRate: wilsonInterval(
      strict,
      total((x) => x.label === pass)
    ),
    humanPassRate: wilsonInterval(
      total((x) => x.label === pass),
      n
    ),
    judgePassRate: wilsonInterval(
      total((x) => x.predicted === pass),
      n
    ),
    p,
    direction: p >= 0.05 ? "balanced" : lenient > strict ? "lenient" : "strict"
  };
}

function topConfusions({labels, counts}: ConfusionMatrix, limit = 8): JudgeModel["confusions"] {
  const out: JudgeModel["confusions"] = [];
  counts.forEach((row, i) => {
    const support = row.reduce((a, b) => a + b, 0);
    row.forEach((count, j) => {
      if (i !== j && count > 0)
        out.push({human: labels[i], judge: labels[j], count, share: wilsonInterval(count, support)});
    });
  });
  return out.sort((a, b) => b.count - a.count || (a.human < b.human ? -1 : 1)).slice(0, limit);
}

function expand(pairs: Pair[]): [number[], number[]] {
  const human: number[] = [];
  const judge: number[] = [];
  for (const p of pairs)
    for (let k = 0; k < p.count; k++) (human.push(Number(p.label)), judge.push(Number(p.predicted)));
  return [human, judge];
}
