// Reads the reference values recorded by test/fixtures/sklearn/record.py (see its README).
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {expect} from "vitest";
import {projectRoot} from "../../../../../loaders/workspace/config.js";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export function sklearnCases(file: string): Record<string, Json> {
  return JSON.parse(readFileSync(join(projectRoot, "test", "fixtures", "sklearn", file), "utf8")).cases;
}

/** Recorded numbers come back as JSON: NaN as null, ±inf as "inf" / "-inf". */
export function fromJson(x: Json): number {
  if (x === "inf") return Infinity;
  if (x === "-inf") return -Infinity;
  if (x === null) return NaN;
  return x;
}

/** Equal up to floating-point summation order: 1e-12 relative, element by element. */
export function expectClose(actual: ArrayLike<number> | number | null, expected: Json, tolerance = 1e-12): void {
  if (typeof actual === "number" || actual === null) {
    expect(actual).not.toBeNull();
    const e = fromJson(expected);
    expect(Math.abs((actual as number) - e), `${actual} vs ${e}`).toBeLessThanOrEqual(
      tolerance * Math.max(1, Math.abs(e))
    );
    return;
  }
  const a = Array.from(actual);
  expect(a.length, "length").toBe(expected.length);
  a.forEach((v, i) => {
    const e = fromJson(expected[i]);
    if (Number.isFinite(e))
      expect(Math.abs(v - e), `element ${i}: ${v} vs ${e}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(e)));
    else expect(v, `element ${i}`).toBe(e);
  });
}
