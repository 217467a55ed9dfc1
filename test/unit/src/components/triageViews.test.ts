import {describe, expect, it} from "vitest";
import {changeTone, runChanges} from "../../../../src/components/triageViews.js";

describe("runChanges(changed)", () => {
  it("names each run attribute that changed, from → to, and skips the unchanged ones", () => {
    const changed = {
      model: {from: "gpt-4o", to: "gpt-4o-mini"},
      prompt_version: null,
      dataset_version: {from: null, to: "v3"}
    };
    expect(runChanges(changed)).toEqual(["model gpt-4o → gpt-4o-mini", "dataset version — → v3"]);
  });

  it("is empty when nothing changed", () =>
    expect(runChanges({model: null, prompt_version: null, dataset_version: null})).toEqual([]));
});

describe("changeTone(latest)", () => {
  it("is bad for a significant drop, good for a significant gain, muted within noise or without a pair", () => {
    expect(changeTone({p_value: 0.01, delta: -0.08})).toBe("bad");
    expect(changeTone({p_value: 0.01, delta: 0.08})).toBe("good");
    expect(changeTone({p_value: 0.2, delta: -0.08})).toBe("muted");
    expect(changeTone({p_value: null, delta: -0.08})).toBe("muted");
    expect(changeTone(null)).toBe("muted");
  });
});
