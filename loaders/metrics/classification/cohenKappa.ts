// Agreement beyond chance between two raters (an LLM judge and a person) from their confusion matrix,
// as scikit-learn's cohen_kappa_score; weighted kappa uses the labels' positions (|i − j| or (i − j)²).
// The standard error is Fleiss, Cohen & Everitt's (1969) large-sample one, as statsmodels' cohens_kappa.
import {Z95} from "../../../src/lib/metrics/wilson.js";
import type {ConfusionMatrix} from "./confusionMatrix.js";

export type KappaWeights = "none" | "linear" | "quadratic";

/** Null when chance agreement is perfect (both raters always gave the same single label): kappa is 0/0. */
export function cohenKappa({counts}: ConfusionMatrix, weights: KappaWeights = "none"): number | null {
  const k = counts.length;
  const rows = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = counts[0]?.map((_, j) => counts.reduce((a, r) => a + r[j], 0)) ?? [];
  const n = rows.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const w = (i: number, j: number) =>
    weights === "none" ? (i === j ? 0 : 1) : weights === "linear" ? Math.abs(i - j) : (i - j) ** 2;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      observed += w(i, j) * counts[i][j];
      expected += (w(i, j) * cols[i] * rows[j]) / n;
    }
  }
  return expected === 0 ? null : 1 - observed / expected;
}

export interface KappaInterval {
  kappa: number;
  standardError: number;
  low: number;
  high: number;
}

export function kappaInterval(cm: ConfusionMatrix, z = Z95): KappaInterval | null {
  const {counts} = cm;
  const k = counts.length;
  const n = counts.flat().reduce((a, b) => a + b, 0);
  const kappa = cohenKappa(cm);
  if (kappa === null || n === 0) return null;
  const p = counts.map((r) => r.map((v) => v / n));
  const row = p.map((r) => r.reduce((a, b) => a + b, 0));
  const col = p[0].map((_, j) => p.reduce((a, r) => a + r[j], 0));
  const pe = row.reduce((a, r, i) => a + r * col[i], 0);
  let a = 0;
  let b = 0;
  for (let i = 0; i < k; i++) {
    a += p[i][i] * (1 - (row[i] + col[i]) * (1 - kappa)) ** 2;
    for (let j = 0; j < k; j++) if (i !== j) b += p[i][j] * (col[i] + row[j]) ** 2;
  }
  const c = (kappa - pe * (1 - kappa)) ** 2;
  const variance = Math.max(0, (a + (1 - kappa) ** 2 * b - c) / (1 - pe) ** 2 / n);
  const standardError = Math.sqrt(variance);
  return {kappa, standardError, low: kappa - z * standardError, high: kappa + z * standardError};
}
