// The values recorded once by test/fixtures/experiments/record.py from scipy and statsmodels.
import {readFileSync} from "node:fs";

export const reference = JSON.parse(
  readFileSync(new URL("../../../../fixtures/experiments/reference.json", import.meta.url), "utf8")
);

/** Relative closeness, for values whose scale varies from case to case. */
export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(1e-300, Math.abs(expected));
}

/** Cases numbered for test.each, so a failure names the case. */
export function numbered(cases: any[]): [number, any][] {
  return cases.map((c, i) => [i, c]);
}
