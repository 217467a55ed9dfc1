import {describe, expect, test} from "vitest";
import {CANARY_SHARE, MAX_EPOCHS, MAX_SUITE_GROWTH, wayForward} from "../../../../loaders/metrics/wayForward.js";

describe("wayForward(casesNeeded, suiteSize, requestsPerDay)", () => {
  test("reruns the suite when a few epochs reach the cases needed", () => {
    expect(wayForward(441, 400, 300)).toEqual({kind: "epochs", epochs: 2, cases: 800});
    expect(wayForward(400 * MAX_EPOCHS, 400, null)).toEqual({kind: "epochs", epochs: MAX_EPOCHS, cases: 1200});
  });

  test("never proposes reruns for a gate that counts each case once: new cases instead", () => {
    // A pass rate reduces a case's epochs to one verdict, so a second epoch leaves its n at 400.
    expect(wayForward(441, 400, 300, {epochsCount: false})).toEqual({kind: "larger-suite", cases: 441});
    expect(wayForward(4000, 400, 300, {epochsCount: false})).toMatchObject({kind: "canary", requests: 4000});
  });

  test("grows the suite beyond that, up to a few times its size", () => {
    expect(wayForward(1201, 400, 300)).toEqual({kind: "larger-suite", cases: 1201});
    expect(wayForward(400 * MAX_SUITE_GROWTH, 400, 300)).toEqual({kind: "larger-suite", cases: 2000});
  });

  test("sizes a canary by current traffic when the suite cannot get there", () => {
    // 2,177 cases against a 100-case suite; 300 requests a day, 10% of them in the canary: 30 a day.
    expect(CANARY_SHARE).toBe(0.1);
    expect(wayForward(2177, 100, 300)).toEqual({
      kind: "canary",
      requests: 2177,
      share: 0.1,
      days: Math.ceil(2177 / 30)
    });
    expect(wayForward(2177, 100, null)).toEqual({kind: "canary", requests: 2177, share: 0.1, days: null});
  });

  test("refuses sizes that are not positive", () => {
    expect(() => wayForward(0, 400, 10)).toThrow(RangeError);
    expect(() => wayForward(100, 0, 10)).toThrow(RangeError);
  });
});
