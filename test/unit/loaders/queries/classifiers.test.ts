import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterEach, describe, expect, test} from "vitest";
import {costOptimalThreshold} from "../../../../src/lib/metrics/classification/costOptimalThreshold.js";
import {scoreCounts} from "../../../../loaders/metrics/classification/scoreCounts.js";
import {thresholdSweep} from "../../../../src/lib/metrics/classification/thresholdSweep.js";
import {classifierJudges} from "../../../../loaders/queries/classifierJudges.js";
import {classifiers, type ClassifierTask} from "../../../../loaders/queries/classifiers.js";
import {quarantineReport} from "../../../../loaders/queries/overview.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {projectRoot} from "../../../../loaders/workspace/config.js";
import {ingest, jsonl} from "../../../helpers.js";
import {expectClose, sklearnCases} from "../metrics/classification/sklearn.js";

let db: Database | undefined;
afterEach(() => db?.close());

const real = sklearnCases("real.json");
const realFile = (name: string) => readFileSync(join(projectRoot, "test/fixtures/real/classifier-predictions", name));
const workspace = (config: unknown) => ({root: "/tmp/ws", config: configSchema.parse(config), configFiles: []});
async function page(files: Record<string, string | Buffer>, config: unknown = {}) {
  db = await ingest(files, config);
  return classifiers(db, workspace(config));
}
const slice = (t: ClassifierTask, model: string, segment: string | null) =>
  t.slices.find((s) => s.model === model && s.segment === segment);

describe("classifiers(db, workspace): binary tasks", () => {
  const guard = [
    ["1", "toxic", 0.9, "smb"],
    ["2", "toxic", 0.7, "smb"],
    ["3", "ok", 0.7, "smb"],
    ["4", "ok", 0.2, "smb"],
    ["5", "toxic", 0.4, "enterprise"],
    ["6", "ok", 0.4, "enterprise"],
    ["7", "ok", 0.1, "enterprise"]
  ].map(([id, label, score, segment]) => ({id, task: "guard", kind: "binary", model: "g1", label, score, segment}));
  const config = {
    classifiers: [
      {task: "guard", positive_label: "toxic", cost_false_positive: 1, cost_false_negative: 4, target_accuracy: 0.8}
    ]
  };

  test("slices by model and segment, with the matrix at 0.5 and the optimum at the config's costs", async () => {
    const {tasks} = await page({"p.jsonl": jsonl(...guard)}, config);
    const t = tasks[0];
    expect(t).toMatchObject({
      task: "guard",
      kind: "binary",
      rows: 7,
      positive: {label: "toxic", source: "config"},
      negativeLabel: "ok",
      labels: ["ok", "toxic"],
      segments: ["enterprise", "smb"],
      problems: []
    });
    expect(t.costs).toEqual({falsePositive: 1, falseNegative: 4, source: "config"});
    expect(t.slices.map((s) => [s.model, s.segment, s.n])).toEqual([
      ["g1", null, 7],
      ["g1", "enterprise", 3],
      ["g1", "smb", 4]
    ]);
    const all = slice(t, "g1", null)!;
    expect(all.matrix).toEqual({
      labels: ["ok", "toxic"],
      counts: [
        [3, 1],
        [1, 2]
      ]
    });
    const sweep = thresholdSweep(
      scoreCounts(
        guard.map((r) => r.score as number),
        guard.map((r) => r.label === "toxic")
      )
    );
    const best = costOptimalThreshold(sweep, {falsePositive: 1, falseNegative: 4});
    expect(all.scored!.optimum).toMatchObject({threshold: best.threshold, tp: best.tp, fp: best.fp, cost: best.cost});
    expect(all.scored!.optimum.threshold).toBe(0.4);
    expect(all.scored!.sweep).toEqual({
      positives: 3,
      negatives: 4,
      threshold: [0.9, 0.7, 0.4, 0.2, 0.1],
      tp: [1, 2, 3, 3, 3],
      fp: [0, 1, 2, 3, 4]
    });
  });

  test("selective prediction uses the confidence in the label given: max(p, 1 − p) at 0.5", async () => {
    const {tasks} = await page({"p.jsonl": jsonl(...guard)}, config);
    const s = slice(tasks[0], "g1", null)!.scored!;
    // Confidences: 0.9✓ 0.7✓ 0.7✗ 0.8✓ 0.6✗ 0.6✓ 0.9✓ → at ≥ 0.8, 3 of 3 right; at ≥ 0.7, 4 of 5.
    expect(s.selective).toEqual({
      positives: 5,
      negatives: 2,
      threshold: [0.9, 0.8, 0.7, 0.6],
      tp: [2, 3, 4, 5],
      fp: [0, 0, 1, 2]
    });
    expect(s.coverageAtTarget).toMatchObject({threshold: 0.7, covered: 5, correct: 4});
  });

  test("a segment with one class has no AUC, and says so instead of showing NaN", async () => {
    const rows = [
      ...guard,
      {id: "8", task: "guard", kind: "binary", model: "g1", label: "ok", score: 0.3, segment: "self-serve"}
    ];
    const {tasks} = await page({"p.jsonl": jsonl(...rows)}, config);
    const s = slice(tasks[0], "g1", "self-serve")!;
    expect(s.n).toBe(1);
    expect(s.scored!.auc).toBeNull();
    expect(s.scored!.averagePrecision).toBeNull();
    expect(s.report.classes.map((c) => c.label)).toEqual(["ok"]);
    expect(JSON.stringify(tasks)).not.toMatch(/NaN/);
  });

  test("a model without rows in a segment gets no slice for it", async () => {
    const rows = [
      ...guard,
      {id: "1", task: "guard", kind: "binary", model: "g2", label: "ok", score: 0.3, segment: "smb"}
    ];
    const {tasks} = await page({"p.jsonl": jsonl(...rows)}, config);
    expect(tasks[0].slices.filter((s) => s.model === "g2").map((s) => s.segment)).toEqual([null, "smb"]);
  });

  test("names the config key to set when the positive label cannot be told", async () => {
    const {tasks} = await page({"p.jsonl": jsonl(...guard)});
    expect(tasks[0].positive).toBeNull();
    expect(tasks[0].problems).toEqual([
      'Cannot tell which label of guard is positive (labels: ok, toxic). Set classifiers[].positive_label for task "guard" in workbench.config.json.'
    ]);
    // Without a positive label, "score ≥ 0.5" names no label: there is nothing to count until the config says.
    expect(tasks[0].slices).toEqual([]);
    expect(tasks[0].costs).toEqual({falsePositive: 1, falseNegative: 1, source: "default"});
    expect(tasks[0].targetAccuracy).toEqual({value: 0.95, source: "default"});
  });

  test("the real COMPAS file, mapped by config, equals sklearn overall and per segment", async () => {
    const config = {
      sources: [
        {
          path: "compas_*.csv",
          columns: {label: "label_value", id: "entity_id", segment: "race"},
          defaults: {task: "recidivism", model: "compas"}
        }
      ]
    };
    const {tasks} = await page({"compas_for_aequitas.csv": realFile("compas_for_aequitas.csv")}, config);
    const t = tasks[0];
    const c = real.compas;
    expect(t.positive).toEqual({label: "1", source: "inferred"});
    const all = slice(t, "compas", null)!;
    expect(all.n).toBe(c.n);
    expect(all.matrix.counts).toEqual(c.confusion_matrix);
    expectClose(
      all.report.classes.map((k) => k.precision.rate!),
      c.precision
    );
    expectClose(
      all.report.classes.map((k) => k.recall.rate!),
      c.recall
    );
    expectClose(
      all.report.classes.map((k) => k.f1!),
      c.f1
    );
    expectClose(all.report.accuracy.rate, c.accuracy);
    expectClose(all.scored!.auc!.auc, c.roc_auc_score);
    expectClose(all.scored!.averagePrecision, c.average_precision_score);
    expectClose(all.scored!.calibration.brier, c.brier_score_loss);
    const filled = all.scored!.calibration.bins.filter((b) => b.count > 0);
    expectClose(
      filled.map((b) => b.fractionPositive!),
      c.calibration_curve.prob_true
    );
    expectClose(
      filled.map((b) => b.meanPredicted!),
      c.calibration_curve.prob_pred
    );
    for (const [race, accuracy] of Object.entries(c.by_race_accuracy))
      expectClose(slice(t, "compas", race)!.report.accuracy.rate, accuracy);
  });
});

describe("classifiers(db, workspace): multiclass tasks", () => {
  const items = [
    ["1", "billing", "billing", "billing", 0.9],
    ["2", "refunds", "billing", "refunds", 0.6],
    ["3", "refunds", "refunds", "refunds", 0.8],
    ["4", "shipping", "shipping", "billing", 0.4],
    ["5", "billing", "refunds", "billing", 0.9],
    ["6", "shipping", "shipping", "shipping", 0.6]
  ];
  const rows = items.flatMap(([id, label, a, b, score]) => [
    {id, task: "routing", kind: "multiclass", model: "r1", label, predicted: a, score},
    {id, task: "routing", kind: "multiclass", model: "r2", label, predicted: b, score: (score as number) - 0.05}
  ]);

  test("the sweep is over (confidence, correct), and its cells rebuild the auto-handled matrix at every slider threshold", async () => {
    const {tasks} = await page({"p.jsonl": jsonl(...rows)});
    const s = slice(tasks[0], "r1", null)!;
    expect(tasks[0]).toMatchObject({
      kind: "multiclass",
      labels: ["billing", "refunds", "shipping"],
      positive: null,
      segments: []
    });
    expect(s.matrix.counts).toEqual([
      [1, 1, 0],
      [1, 1, 0],
      [0, 0, 2]
    ]);
    const sweep = s.scored!.sweep;
    expect(sweep).toMatchObject({
      positives: 4,
      negatives: 2,
      threshold: [0.9, 0.8, 0.6, 0.4],
      tp: [1, 2, 3, 4],
      fp: [1, 1, 2, 2]
    });
    // The slider selects 0.9 (for 0.81–0.90), 0.8, 0.6 and 0.4; nothing for 0.91 and up.
    expect(sweep.cellThresholds).toEqual([0.9, 0.8, 0.6, 0.4]);
    const matrixAt = (i: number) => {
      const m = [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0]
      ];
      for (const cells of sweep.cells!.slice(0, i + 1))
        for (let k = 0; k < cells.length; k += 3) m[cells[k]][cells[k + 1]] += cells[k + 2];
      return m;
    };
    expect(matrixAt(0)).toEqual([
      [1, 1, 0],
      [0, 0, 0],
      [0, 0, 0]
    ]);
    expect(matrixAt(2)).toEqual([
      [1, 1, 0],
      [1, 1, 0],
      [0, 0, 1]
    ]);
    expect(matrixAt(3)).toEqual(s.matrix.counts);
  });

  test("compares two models on the same items with an exact McNemar test", async () => {
    const {tasks} = await page({"p.jsonl": jsonl(...rows)});
    // r1 right on 1, 3, 4, 6; r2 right on 1, 2, 3, 5, 6: only r1 on 4, only r2 on 2 and 5.
    expect(tasks[0].comparisons).toEqual([
      expect.objectContaining({
        a: "r1",
        b: "r2",
        paired: 6,
        onlyA: 1,
        onlyB: 2,
        p: 1,
        aAccuracy: expect.objectContaining({rate: 4 / 6}),
        bAccuracy: expect.objectContaining({rate: 5 / 6})
      })
    ]);
  });
});

describe("classifierJudges(db, workspace)", () => {
  test("finds a lenient judge: passes what people failed more often than the reverse", async () => {
    const csv = [
      "human_label,judge_label",
      ...Array(30).fill("fail,pass"),
      ...Array(70).fill("fail,fail"),
      ...Array(8).fill("pass,fail"),
      ...Array(192).fill("pass,pass")
    ].join("\n");
    db = await ingest({"summary-judge.csv": csv});
    const {tasks} = await classifierJudges(db, workspace({}));
    const m = tasks[0].models[0];
    expect(tasks[0]).toMatchObject({
      task: "summary-judge",
      rows: 300,
      labels: ["fail", "pass"],
      verdicts: {fail: "fail", pass: "pass", source: "inferred"}
    });
    expect(m.matrix.counts).toEqual([
      [70, 30],
      [8, 192]
    ]);
    expect(m.agreement).toMatchObject({rate: 262 / 300, n: 300});
    expect(m.lean).toMatchObject({
      lenient: 30,
      strict: 8,
      direction: "lenient",
      lenientRate: expect.objectContaining({rate: 0.3, n: 100}),
      strictRate: expect.objectContaining({rate: 0.04, n: 200})
    });
    expect(m.lean!.judgePassRate.rate! - m.lean!.humanPassRate.rate!).toBeCloseTo(22 / 300, 12);
  });

  test("the real PyRIT hate-speech judge, binarized at 0.5, equals sklearn and statsmodels", async () => {
    const {humanMean, trial} = hateSpeech();
    const label = (x: number) => (x >= 0.5 ? "harmful" : "not-harmful");
    const csv = [
      "human_label,judge_label,model",
      ...humanMean.map((h, i) => `${label(h)},${label(trial[i])},SelfAskLikertScorer`)
    ].join("\n");
    db = await ingest({"hate-speech.csv": csv});
    const {tasks} = await classifierJudges(db, workspace({}));
    const m = tasks[0].models[0];
    const r = real.hate_speech_judge;
    expect(tasks[0].verdicts).toEqual({fail: "harmful", pass: "not-harmful", source: "inferred"});
    expect(m.matrix).toEqual({labels: r.labels, counts: r.confusion_matrix});
    expectClose(m.agreement.rate, r.agreement);
    expectClose(m.kappa!.kappa, r.cohen_kappa_score);
    expectClose(m.kappa!.standardError, r.std_kappa, 1e-10);
    expectClose(m.lean!.p, r.mcnemar_pvalue, 1e-10);
  });

  test("a judge CSV with mixed line ends and labels spelled two ways keeps two classes and sklearn's agreement", async () => {
    const {humanMean, trial} = hateSpeech();
    const label = (x: number) => (x >= 0.5 ? "harmful" : "not-harmful");
    // As a notebook export stitched by hand: the header ends in \n, the rows in \r\n, every fifth in a
    // lone \r; every seventh human label is capitalized and every fourth judge label carries spaces.
    const human = humanMean.map((h, i) => (i % 7 === 3 ? label(h).replace(/^./, (c) => c.toUpperCase()) : label(h)));
    const judge = trial.map((t, i) => (i % 4 === 1 ? ` ${label(t)}  ` : label(t)));
    const ends = human.map((_, i) => (i % 5 === 2 ? "\r" : "\r\n"));
    const csv = "id,human_label,judge_label\n" + human.map((h, i) => `item-${i},${h},${judge[i]}${ends[i]}`).join("");
    db = await ingest({"hate-speech-judge.csv": csv});
    const {tasks} = await classifierJudges(db, workspace({}));
    const m = tasks[0].models[0];
    const r = real.hate_speech_judge;
    expect(tasks[0].labels).toEqual(r.labels);
    expect(m.matrix).toEqual({labels: r.labels, counts: r.confusion_matrix});
    expectClose(m.agreement.rate, r.agreement);
    expectClose(m.kappa!.kappa, r.cohen_kappa_score);
    // Every rewritten spelling is listed with its file, field and rows, counted here from what was written.
    const count = (values: string[], spelling: string) => values.filter((v) => v === spelling).length;
    const expected = [
      ...["Harmful", "Not-harmful"].map((s) => ({
        field: "label",
        column: "human_label",
        spelling: s,
        merged_into: s.toLowerCase(),
        rows: count(human, s),
        reason: "case"
      })),
      ...["harmful", "not-harmful"].map((s) => ({
        field: "predicted",
        column: "judge_label",
        spelling: ` ${s}  `,
        merged_into: s,
        rows: count(judge, ` ${s}  `),
        reason: "whitespace"
      }))
    ].filter((e) => e.rows > 0);
    expect(expected).toHaveLength(4);
    const {labelSpellings} = await quarantineReport(db);
    expect(labelSpellings).toEqual(
      expected.map((e) => ({source_file: "hate-speech-judge.csv", task: "hate-speech-judge", ...e}))
    );
    // Line numbers still name the physical line: the last row is on line 200 whatever its end.
    expect(await db.query(`SELECT max(source_line)::INTEGER AS last, count(*)::INTEGER AS n FROM predictions`)).toEqual(
      [{last: 200, n: 199}]
    );
  });

  test("the real PyRIT hate-speech judge on its 0–1 scale reproduces PyRIT's own metrics file", async () => {
    const {humanMean, trial} = hateSpeech();
    const csv = ["human_label,judge_label", ...humanMean.map((h, i) => `${h},${trial[i]}`)].join("\n");
    db = await ingest({"hate-speech.csv": csv});
    const {tasks} = await classifierJudges(db, workspace({}));
    const numeric = tasks[0].models[0].numeric!;
    const pyrit = JSON.parse(realFile("hate_speech_SelfAskLikertScorer_metrics.json").toString());
    expectClose(numeric.meanAbsoluteError, pyrit.mean_absolute_error);
    expectClose(numeric.maeStandardError, pyrit.mae_standard_error);
    expectClose(numeric.t, pyrit.t_statistic, 1e-10);
    expectClose(numeric.p, pyrit.p_value, 1e-9);
    expectClose(numeric.meanDifference, real.hate_speech_judge.mean_difference);
    expect(tasks[0].models[0].quadraticKappa).not.toBeNull();
  });

  test("a judge that agrees on one label throughout has no kappa and says why", async () => {
    db = await ingest({"j.csv": "human_label,judge_label\npass,pass\npass,pass\n"});
    const m = (await classifierJudges(db, workspace({}))).tasks[0].models[0];
    expect(m.kappa).toBeNull();
    expect(m.kappaUndefined).toBe(
      "every item got the same label from both (pass): agreement beyond chance is undefined"
    );
    expect(m.agreement.rate).toBe(1);
  });
});

describe("an empty workspace", () => {
  test("has no tasks and says which file would fill each page", async () => {
    db = await ingest({});
    expect((await classifiers(db, workspace({}))).tasks).toEqual([]);
    expect((await classifierJudges(db, workspace({}))).hint).toMatch(
      /^Add a CSV with human_label and judge_label columns/
    );
  });
});

function hateSpeech(): {humanMean: number[]; trial: number[]} {
  // The two PyRIT files list the same 199 responses in the same order (record.py asserts it).
  const rows = (name: string) =>
    parseCsv(
      realFile(name)
        .toString()
        .replace(/^\uFEFF/, "")
    );
  const humans = rows("hate_speech.csv");
  const judge = rows("hate_speech_SelfAskLikertScorer_scoring_results.csv");
  return {
    humanMean: humans.map((h) => (Number(h.human_score_1) + Number(h.human_score_2) + Number(h.human_score_3)) / 3),
    trial: judge.map((j) => Number(j["trial 1"]))
  };
}

function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [[]];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") (records.at(-1)!.push(field), (field = ""));
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      (records.at(-1)!.push(field), (field = ""), records.push([]));
    } else field += ch;
  }
  if (field || records.at(-1)!.length) records.at(-1)!.push(field);
  const [header, ...body] = records.filter((r) => r.length > 1);
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}
