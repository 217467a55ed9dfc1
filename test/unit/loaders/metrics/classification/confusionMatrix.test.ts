import {describe, expect, test} from "vitest";
import {classificationReport} from "../../../../../loaders/metrics/classification/classificationReport.js";
import {
  confusionMatrix,
  normalizeConfusion,
  pairsOf
} from "../../../../../loaders/metrics/classification/confusionMatrix.js";
import {sortLabels} from "../../../../../loaders/metrics/classification/labels.js";
import {expectClose, sklearnCases} from "./sklearn.js";

const cases = sklearnCases("confusion.json");
const strings = (xs: unknown[]) => xs.map(String);

describe("confusionMatrix(pairs) and classificationReport(matrix)", () => {
  for (const [name, c] of Object.entries(cases)) {
    test(`equal sklearn's confusion_matrix, precision_recall_fscore_support and averages: ${name}`, () => {
      const cm = confusionMatrix(pairsOf(strings(c.y_true), strings(c.y_pred)));
      expect(cm.labels).toEqual(strings(c.labels));
      expect(cm.counts).toEqual(c.confusion_matrix);
      const report = classificationReport(cm);
      expectClose(
        report.classes.map((k) => k.precision.rate ?? 0),
        c.precision
      );
      expectClose(
        report.classes.map((k) => k.recall.rate ?? 0),
        c.recall
      );
      expectClose(
        report.classes.map((k) => k.f1 ?? 0),
        c.f1
      );
      expect(report.classes.map((k) => k.support)).toEqual(c.support);
      expectClose(report.accuracy.rate, c.accuracy);
      expectClose(report.macro.f1, c.macro_f1);
      expectClose(report.weighted.f1, c.weighted_f1);
      expectClose(report.macro.precision, c.macro_precision);
      expectClose(report.macro.recall, c.macro_recall);
    });

    test(`normalizeConfusion equals sklearn's normalize=true|pred|all where defined: ${name}`, () => {
      const cm = confusionMatrix(pairsOf(strings(c.y_true), strings(c.y_pred)));
      for (const by of ["true", "pred", "all"] as const) {
        const rates = normalizeConfusion(cm, by);
        // sklearn writes 0 for a row or column without items; this writes null.
        expectClose(
          rates.flat().map((v) => v ?? 0),
          c[`normalize_${by}`].flat()
        );
      }
    });
  }

  test("a class only predicted has recall undefined (null), not 0, per class", () => {
    const report = classificationReport(confusionMatrix(pairsOf(["a", "a", "b", "b"], ["a", "c", "b", "c"])));
    const c = report.classes.find((k) => k.label === "c")!;
    expect(c).toMatchObject({support: 0, predicted: 2, tp: 0, f1: 0});
    expect(c.recall).toEqual({rate: null, n: 0, successes: 0, low: null, high: null});
    expect(c.precision.rate).toBe(0);
    expect(normalizeConfusion(confusionMatrix(pairsOf(["a", "a", "b", "b"], ["a", "c", "b", "c"])), "true")[2]).toEqual(
      [null, null, null]
    );
  });

  test("a class never predicted has precision undefined (null) per class", () => {
    const report = classificationReport(confusionMatrix(pairsOf(["a", "b", "c", "c"], ["a", "b", "b", "b"])));
    expect(report.classes[2].precision.rate).toBeNull();
    expect(report.classes[2].recall.rate).toBe(0);
  });

  test("no items: counts are empty and every rate is null", () => {
    const report = classificationReport(confusionMatrix([]));
    expect(report).toEqual({
      classes: [],
      n: 0,
      accuracy: {rate: null, n: 0, successes: 0, low: null, high: null},
      macro: {precision: null, recall: null, f1: null},
      weighted: {precision: null, recall: null, f1: null}
    });
  });

  test("explicit labels fix the order and ignore pairs outside them; counts may be weighted", () => {
    const cm = confusionMatrix(
      [
        {label: "b", predicted: "a", count: 3},
        {label: "a", predicted: "a"},
        {label: "x", predicted: "a"}
      ],
      ["b", "a"]
    );
    expect(cm).toEqual({
      labels: ["b", "a"],
      counts: [
        [0, 3],
        [0, 1]
      ]
    });
  });
});

describe("sortLabels(labels)", () => {
  test("sorts numbers by value and text by code point", () => {
    expect(sortLabels(["10", "2", "1", "2"])).toEqual(["1", "2", "10"]);
    expect(sortLabels(["billing", "Refunds", "account-access"])).toEqual(["Refunds", "account-access", "billing"]);
    expect(sortLabels(["1", "b"])).toEqual(["1", "b"]);
  });
});
