import {describe, expect, test} from "vitest";
import {remembered, rememberedByKey} from "../../../../src/lib/remembered.js";

/** A make() that counts its calls and answers each from `answers` in turn (an Error rejects). */
function maker<T>(answers: (T | Error)[]) {
  let calls = 0;
  const make = () => {
    const answer = answers[calls++];
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return {make, calls: () => calls};
}

describe("remembered()", () => {
  test("keeps a fulfilled promise: make() runs once for every caller, those waiting and those after", async () => {
    const slot = remembered<number>();
    const {make, calls} = maker([1, 2]);
    const [a, b] = [slot.get(make), slot.get(make)];
    expect(a).toBe(b);
    expect(await a).toBe(1);
    expect(await slot.get(make)).toBe(1);
    expect(calls()).toBe(1);
  });

  test("forgets a rejected promise: those who awaited it fail, the next caller asks again and keeps the answer", async () => {
    const slot = remembered<number>();
    const {make, calls} = maker([new Error("dropped"), 2, 3]);
    const [a, b] = [slot.get(make), slot.get(make)];
    await expect(a).rejects.toThrow("dropped");
    await expect(b).rejects.toThrow("dropped");
    expect(slot.current).toBeUndefined();
    expect(await slot.get(make)).toBe(2);
    expect(await slot.get(make)).toBe(2);
    expect(calls()).toBe(2);
  });

  test("a failure does not forget the promise made after it", async () => {
    const slot = remembered<number>();
    let reject!: (e: Error) => void;
    const first = slot.get(() => new Promise((_, r) => (reject = r)));
    // The first is still pending, so it is kept and returned; once it rejects, a second is made and kept.
    expect(slot.get(() => Promise.resolve(9))).toBe(first);
    reject(new Error("late"));
    await expect(first).rejects.toThrow("late");
    const second = slot.get(() => Promise.resolve(2));
    await second;
    expect(slot.current).toBe(second);
  });
});

describe("rememberedByKey()", () => {
  test("keeps each key's promise apart: one key's failure is asked again, another's answer stays", async () => {
    const files = rememberedByKey<string, string>();
    const spans = maker([new Error("dropped"), "spans"]);
    const flags = maker(["flags", "flags again"]);
    await expect(files.get("spans", spans.make)).rejects.toThrow("dropped");
    expect(await files.get("flags", flags.make)).toBe("flags");
    expect(await files.get("spans", spans.make)).toBe("spans");
    expect(await files.get("flags", flags.make)).toBe("flags");
    expect([spans.calls(), flags.calls()]).toEqual([2, 1]);
  });
});
