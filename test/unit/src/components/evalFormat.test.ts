import {describe, expect, test} from "vitest";
import {runPairLabeller, type RunLike} from "../../../../src/components/evalFormat.js";

const run = (started_at: string, model: string, prompt_version: string | null, option: string | null = null) => ({
  started_at,
  model,
  prompt_version,
  option
});
/** The label of each pair, labelled among all of them. */
const labels = (...pairs: [RunLike, RunLike][]) => pairs.map(runPairLabeller(pairs, (p) => p));

describe("runPairLabeller(pairs, runs)", () => {
  test("names the shared model once, without dates when no other pair reads the same", () => {
    expect(labels([run("2026-11-10", "gpt-4.1-mini", "sum-v3"), run("2026-11-17", "gpt-4.1-mini", "sum-v4")])).toEqual([
      "gpt-4.1-mini · sum-v3 → sum-v4"
    ]);
  });
  test("pairs that would read the same get their dates, the shared year once", () => {
    expect(
      labels(
        [run("2026-11-03", "m", "p1"), run("2026-11-10", "m", "p2")],
        [run("2026-11-17", "m", "p1"), run("2026-11-24", "m", "p2")],
        [run("2026-12-30", "m", "p1"), run("2027-01-02", "m", "p2")]
      )
    ).toEqual([
      "m · p1 → p2, 2026-11-03 → 11-10",
      "m · p1 → p2, 2026-11-17 → 11-24",
      "m · p1 → p2, 2026-12-30 → 2027-01-02"
    ]);
  });
  test("a rerun of one system names it once, with its dates", () => {
    expect(labels([run("2026-11-10", "gpt-4.1", "chat-v7"), run("2026-11-12", "gpt-4.1", "chat-v7")])).toEqual([
      "gpt-4.1 · chat-v7, 2026-11-10 → 11-12"
    ]);
  });
  test("a changed model names the shared prompt once; other changes and option names are named in full", () => {
    expect(
      labels(
        [run("2026-11-10", "gpt-4.1", "chat-v7"), run("2026-11-12", "claude-sonnet-4", "chat-v7")],
        [run("2026-11-10", "gpt-4.1", "chat-v7"), run("2026-11-12", "claude-sonnet-4", "chat-v8")],
        [run("2026-11-10", "gpt-4.1", null, "cheap"), run("2026-11-12", "gpt-4.1", null, "fast")]
      )
    ).toEqual(["gpt-4.1 → claude-sonnet-4 · chat-v7", "gpt-4.1 · chat-v7 → claude-sonnet-4 · chat-v8", "cheap → fast"]);
  });
  test("an option the build named model · prompt is split as one without a name", () => {
    const named = (r: ReturnType<typeof run>) => ({...r, option: `${r.model} · ${r.prompt_version}`});
    expect(labels([named(run("2026-11-10", "m", "p1")), named(run("2026-11-17", "m", "p2"))])).toEqual(["m · p1 → p2"]);
  });
});
