// 1M scored predictions: the full threshold sweep (every threshold's confusion matrix, ROC, PR, AUC
// with its interval, AP, the cost optimum, the points shipped to the page) and calibration, against
// scikit-learn computing the same curves on the same data in the same run (when /usr/bin/python3 has
// it), else against DuckDB sorting the scores. Then the whole loader path on a 1M-row warehouse table,
// and the size of what the page receives.
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {averagePrecision} from "../../loaders/metrics/classification/averagePrecision.js";
import {brierScore} from "../../loaders/metrics/classification/brierScore.js";
import {calibrationCurve, expectedCalibrationError} from "../../loaders/metrics/classification/calibrationCurve.js";
import {costOptimalThreshold} from "../../src/lib/metrics/classification/costOptimalThreshold.js";
import {precisionRecallCurve} from "../../loaders/metrics/classification/precisionRecallCurve.js";
import {aucInterval, rocAuc} from "../../loaders/metrics/classification/rocAuc.js";
import {rocCurve} from "../../loaders/metrics/classification/rocCurve.js";
import {scoreCounts} from "../../loaders/metrics/classification/scoreCounts.js";
import {sweepPoints} from "../../loaders/metrics/classification/sweepPoints.js";
import {thresholdSweep} from "../../src/lib/metrics/classification/thresholdSweep.js";
import {seededRandom} from "../../src/lib/metrics/seededRandom.js";
import {classifiers} from "../../loaders/queries/classifiers.js";
import {configSchema} from "../../loaders/schema/config.js";
import {quotedString, openDatabase} from "../../loaders/warehouse/duckdb.js";
import type {Bench, BenchResult} from "./types.js";
import {time} from "./types.js";

const N = 1_000_000;
const python = "/usr/bin/python3";

/** 1M (score, label) pairs: 20% positives, overlapping logistic scores, nearly all distinct. */
function generate(dir: string): {scoresPath: string; labelsPath: string; csvPath: string} {
  const scoresPath = join(dir, "classifier-scores-1m.f64");
  const labelsPath = join(dir, "classifier-labels-1m.u8");
  const csvPath = join(dir, "classifier-predictions-1m.csv");
  if (existsSync(scoresPath) && existsSync(labelsPath) && existsSync(csvPath)) return {scoresPath, labelsPath, csvPath};
  mkdirSync(dir, {recursive: true});
  const random = seededRandom(20261122);
  const scores = new Float64Array(N);
  const labels = new Uint8Array(N);
  const lines = ["id,label,score,segment"];
  const segments = ["enterprise", "smb", "self-serve"];
  for (let i = 0; i < N; i++) {
    labels[i] = random() < 0.2 ? 1 : 0;
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    scores[i] = 1 / (1 + Math.exp(-(normal + (labels[i] ? 1.8 : 0) - 1.4)));
    lines.push(`${i + 1},${labels[i] ? "toxic" : "ok"},${scores[i]},${segments[i % 3]}`);
  }
  writeFileSync(scoresPath, Buffer.from(scores.buffer));
  writeFileSync(labelsPath, labels);
  writeFileSync(csvPath, lines.join("\n") + "\n");
  return {scoresPath, labelsPath, csvPath};
}

/** 1M multiclass predictions over 8 classes, confidence nearly continuous, 3 segments. */
function generateMulticlass(dir: string): string {
  const csvPath = join(dir, "classifier-multiclass-1m.csv");
  if (existsSync(csvPath)) return csvPath;
  const random = seededRandom(20261123);
  const classes = [
    "billing",
    "refunds",
    "shipping",
    "account-access",
    "technical-bug",
    "multi-step-troubleshooting",
    "cancellation",
    "product-question"
  ];
  const segments = ["enterprise", "smb", "self-serve"];
  const lines = ["id,label,predicted,score,segment"];
  for (let i = 0; i < N; i++) {
    const label = classes[Math.floor(random() * classes.length)];
    const right = random() < 0.85;
    const predicted = right ? label : classes[Math.floor(random() * classes.length)];
    const score = right ? 0.5 + 0.5 * random() : 0.3 + 0.6 * random();
    lines.push(`${i + 1},${label},${predicted},${score},${segments[i % 3]}`);
  }
  writeFileSync(csvPath, lines.join("\n") + "\n");
  return csvPath;
}

function jsSweepAndCalibration(scores: Float64Array, labels: Uint8Array) {
  const counts = scoreCounts(scores, labels);
  const sweep = thresholdSweep(counts);
  const bins = calibrationCurve(counts);
  return {
    roc: rocCurve(sweep),
    pr: precisionRecallCurve(sweep),
    auc: rocAuc(sweep),
    interval: aucInterval(counts),
    ap: averagePrecision(sweep),
    optimum: costOptimalThreshold(sweep, {falsePositive: 0.5, falseNegative: 25}),
    points: sweepPoints(sweep),
    calibration: {bins, ece: expectedCalibrationError(bins), brier: brierScore(counts)}
  };
}

const sklearnScript = `
import sys, time, json
import numpy as np
from sklearn import metrics
from sklearn.calibration import calibration_curve
s = np.fromfile(sys.argv[1], dtype="<f8"); y = np.fromfile(sys.argv[2], dtype=np.uint8).astype(int)
def best(fn, k=3):
    times = []
    for _ in range(k):
        t = time.perf_counter(); out = fn(); times.append(time.perf_counter() - t)
    return min(times), out
def everything():
    return (metrics.roc_curve(y, s), metrics.precision_recall_curve(y, s), metrics.roc_auc_score(y, s),
            metrics.average_precision_score(y, s), calibration_curve(y, s, n_bins=10), metrics.brier_score_loss(y, s))
pr, _ = best(lambda: metrics.precision_recall_curve(y, s))
full, out = best(everything)
import sklearn
print(json.dumps({"version": sklearn.__version__, "pr": pr, "full": full, "auc": out[2], "ap": out[3], "brier": out[5]}))
`;

interface SklearnTimes {
  version: string;
  pr: number;
  full: number;
  auc: number;
  ap: number;
  brier: number;
}

function runSklearn(scoresPath: string, labelsPath: string): SklearnTimes | string {
  if (!existsSync(python)) return `${python} not found`;
  const run = spawnSync(python, ["-c", sklearnScript, scoresPath, labelsPath], {encoding: "utf8", maxBuffer: 1 << 20});
  if (run.status !== 0)
    return `sklearn unavailable (${(run.stderr || run.error?.message || "").trim().split("\n").at(-1)})`;
  return JSON.parse(run.stdout);
}

async function bestOf<T>(k: number, fn: () => Promise<T> | T): Promise<{seconds: number; value: T}> {
  let best = Infinity;
  let value!: T;
  for (let i = 0; i < k; i++) {
    const r = await time(async () => fn());
    if (r.seconds < best) ((best = r.seconds), (value = r.value));
  }
  return {seconds: best, value};
}

const bench: Bench = async ({scaleDir}) => {
  const {scoresPath, labelsPath, csvPath} = generate(scaleDir);
  const scores = new Float64Array(new Uint8Array(readFileSync(scoresPath)).buffer);
  const labels = new Uint8Array(readFileSync(labelsPath));
  const results: BenchResult[] = [];

  const full = await bestOf(3, () => jsSweepAndCalibration(scores, labels));
  const prOnly = await bestOf(3, () => precisionRecallCurve(thresholdSweep(scoreCounts(scores, labels))));
  const sklearn = runSklearn(scoresPath, labelsPath);
  if (typeof sklearn !== "string") {
    const same =
      Math.abs(sklearn.auc - full.value.auc!) < 1e-9 &&
      Math.abs(sklearn.ap - full.value.ap!) < 1e-9 &&
      Math.abs(sklearn.brier - full.value.calibration.brier!) < 1e-9;
    if (!same)
      throw new Error(
        `classifiers bench: results differ from sklearn (AUC ${full.value.auc} vs ${sklearn.auc}, AP ${full.value.ap} vs ${sklearn.ap})`
      );
    results.push({
      name: "classifiers: 1M scores, full sweep + ROC/PR/AUC(+DeLong)/AP + cost optimum + calibration",
      seconds: full.seconds,
      reference: {
        name: `sklearn ${sklearn.version} roc_curve+precision_recall_curve+roc_auc+AP+calibration_curve+brier`,
        seconds: sklearn.full
      },
      target: {max: 1, of: "ratio"},
      value: full.seconds / sklearn.full,
      note: `same AUC/AP/Brier as sklearn; ${full.value.points.length} points shipped of ${full.value.roc!.fpr.length - 1} ROC corners`
    });
    results.push({
      name: "classifiers: 1M scores, precision–recall curve",
      seconds: prOnly.seconds,
      reference: {name: "sklearn precision_recall_curve", seconds: sklearn.pr},
      target: {max: 1, of: "ratio"},
      value: prOnly.seconds / sklearn.pr
    });
  }

  const db = await openDatabase();
  try {
    await db.run(`CREATE TABLE predictions AS SELECT id::VARCHAR AS id, NULL::TIMESTAMPTZ AS at, 'guard' AS task, 'binary' AS kind, 'g1' AS model,
      label, NULL::VARCHAR AS predicted, score, NULL::VARCHAR AS positive_label, segment FROM read_csv(${quotedString(csvPath)}, header = true,
      columns = {'id': 'BIGINT', 'label': 'VARCHAR', 'score': 'DOUBLE', 'segment': 'VARCHAR'})`);
    const sort = await bestOf(3, () =>
      db.run(`CREATE OR REPLACE TEMP TABLE sorted AS SELECT score, label FROM predictions ORDER BY score DESC`)
    );
    if (typeof sklearn === "string") {
      results.push({
        name: "classifiers: 1M scores, full sweep + calibration (sklearn absent)",
        seconds: full.seconds,
        reference: {name: "DuckDB ORDER BY score", seconds: sort.seconds},
        target: {max: 5, of: "ratio"},
        value: full.seconds / sort.seconds,
        note: sklearn
      });
    }
    const config = configSchema.parse({
      classifiers: [{task: "guard", positive_label: "toxic", cost_false_positive: 0.5, cost_false_negative: 25}]
    });
    const page = await bestOf(1, async () =>
      JSON.stringify(await classifiers(db, {root: scaleDir, config, configFiles: []}))
    );
    results.push({
      name: "classifiers: loader on a 1M-row predictions table (4 slices: all + 3 segments)",
      seconds: page.seconds,
      reference: {name: "DuckDB ORDER BY score", seconds: sort.seconds},
      target: {max: 40, of: "ratio"},
      value: page.seconds / sort.seconds
    });
    await db.run(`CREATE OR REPLACE TABLE predictions AS SELECT id::VARCHAR AS id, NULL::TIMESTAMPTZ AS at, 'routing' AS task, 'multiclass' AS kind, 'r1' AS model,
      label, predicted, score, NULL::VARCHAR AS positive_label, segment FROM read_csv(${quotedString(generateMulticlass(scaleDir))}, header = true,
      columns = {'id': 'BIGINT', 'label': 'VARCHAR', 'predicted': 'VARCHAR', 'score': 'DOUBLE', 'segment': 'VARCHAR'})`);
    const multiclass = await bestOf(1, async () =>
      JSON.stringify(await classifiers(db, {root: scaleDir, config: configSchema.parse({}), configFiles: []}))
    );
    results.push({
      name: "classifiers: loader on 1M multiclass predictions (8 classes, 4 slices)",
      seconds: multiclass.seconds,
      reference: {name: "DuckDB ORDER BY score", seconds: sort.seconds},
      target: {max: 40, of: "ratio"},
      value: multiclass.seconds / sort.seconds
    });
    results.push({
      name: "classifiers: page data for 1M multiclass predictions",
      seconds: multiclass.seconds,
      reference: null,
      target: {max: 2e6, of: "bytes"},
      value: Buffer.byteLength(multiclass.value),
      note: "sweeps plus the matrix cells at each slider position"
    });
    results.push({
      name: "classifiers: page data for 1M predictions",
      seconds: page.seconds,
      reference: null,
      target: {max: 2e6, of: "bytes"},
      value: Buffer.byteLength(page.value),
      note: "aggregates and downsampled sweeps only, never rows"
    });
  } finally {
    db.close();
  }
  return results;
};

export default bench;
