import {describe, expect, test} from "vitest";
import {cohenKappa, kappaInterval} from "../../../../../loaders/metrics/classification/cohenKappa.js";
import {confusionMatrix, pairsOf} from "../../../../../loaders/metrics/classification/confusionMatrix.js";
import {exactMcNemar} from "../../../../../src/lib/metrics/mcnemar.js";
import {
  resolveJudgeVerdicts,
  resolvePositiveLabel
} from "../../../../../loaders/metrics/classification/positiveLabel.js";
import {expectClose, sklearnCases} from "./sklearn.js";

const kappa = sklearnCases("kappa.json");
const mcnemar = sklearnCases("mcnemar.json");
const matrixOf = (c: {y1: unknown[]; y2: unknown[]}) => confusionMatrix(pairsOf(c.y1.map(String), c.y2.map(String)));

describe("cohenKappa(matrix, weights) and kappaInterval(matrix)", () => {
  for (const [name, c] of Object.entries(kappa)) {
    test(`equal sklearn's cohen_kappa_score and statsmodels' cohens_kappa: ${name}`, () => {
      const cm = matrixOf(c);
      const value = cohenKappa(cm, c.weights ?? "none");
      if (c.cohen_kappa_score.value === null) {
        // sklearn divides 0 by 0 and returns NaN: both raters gave one label, agreement beyond chance is undefined.
        expect(c.cohen_kappa_score.warning).toBe("invalid value encountered in scalar divide");
        expect(value).toBeNull();
        expect(kappaInterval(cm)).toBeNull();
        return;
      }
      expectClose(value, c.cohen_kappa_score.value);
      if (c.statsmodels) {
        const ci = kappaInterval(cm)!;
        expectClose(ci.standardError, c.statsmodels.std_kappa, 1e-10);
        expectClose(ci.low, c.statsmodels.kappa_low, 1e-10);
        expectClose(ci.high, c.statsmodels.kappa_upp, 1e-10);
      }
    });
  }
});

describe("exactMcNemar(b, c), as the judge and model comparisons use it", () => {
  for (const [name, c] of Object.entries(mcnemar)) {
    test(`equals statsmodels' mcnemar(exact=True): ${name}`, () => {
      expectClose(exactMcNemar(c.b, c.c).pValue, c.pvalue, 1e-10);
    });
  }
});

describe("resolvePositiveLabel(labels, sources)", () => {
  test("the config wins, then the rows' own column, then the spelling", () => {
    expect(resolvePositiveLabel(["ok", "toxic"], {configured: "toxic"})).toEqual({label: "toxic", source: "config"});
    expect(resolvePositiveLabel(["ok", "toxic"], {fromRows: "toxic"})).toEqual({label: "toxic", source: "data"});
    expect(resolvePositiveLabel(["0", "1"])).toEqual({label: "1", source: "inferred"});
    expect(resolvePositiveLabel(["False", "True"])).toEqual({label: "True", source: "inferred"});
    expect(resolvePositiveLabel(["fail", "pass"])).toEqual({label: "pass", source: "inferred"});
    expect(resolvePositiveLabel(["1.0", "0.0"])).toEqual({label: "1.0", source: "inferred"});
  });

  test("all-negative labels name the missing positive; anything else is not guessed", () => {
    expect(resolvePositiveLabel(["no"])).toEqual({label: "yes", source: "inferred"});
    expect(resolvePositiveLabel(["0.0"])).toEqual({label: "1.0", source: "inferred"});
    expect(resolvePositiveLabel(["ok", "toxic"])).toBeNull();
    expect(resolvePositiveLabel([])).toBeNull();
  });
});

describe("resolveJudgeVerdicts(labels, configured)", () => {
  test("positive_label names the fail verdict; otherwise fail-like or pass-like spellings decide", () => {
    expect(resolveJudgeVerdicts(["fail", "pass"], "fail")).toEqual({fail: "fail", pass: "pass", source: "config"});
    expect(resolveJudgeVerdicts(["pass", "fail"])).toEqual({fail: "fail", pass: "pass", source: "inferred"});
    expect(resolveJudgeVerdicts(["harmful", "not-harmful"])).toEqual({
      fail: "harmful",
      pass: "not-harmful",
      source: "inferred"
    });
    expect(resolveJudgeVerdicts(["good", "meh"])).toEqual({fail: "meh", pass: "good", source: "inferred"});
    expect(resolveJudgeVerdicts(["a", "b"])).toBeNull();
    expect(resolveJudgeVerdicts(["1", "2", "3"])).toBeNull();
  });
});
