import {expect, test} from "vitest";
import {progressLine, stageProgress} from "../../../../loaders/warehouse/progress.js";

const recorder = (isTTY: boolean) => {
  const written: string[] = [];
  return {written, stream: {isTTY, write: (text: string) => written.push(text)}};
};

test("progressLine names the stage, the item and the rate", () => {
  expect(progressLine("ingest", 3, 7, "spans.jsonl", 17877, 0.5)).toBe(
    "ingest 3/7 spans.jsonl: 17,877 rows, 35,754 rows/s"
  );
  expect(progressLine("ingest", 1, 1, "empty.jsonl", 0, 0)).toBe("ingest 1/1 empty.jsonl: 0 rows");
});

test("stageProgress rewrites one line on a terminal and ends it", () => {
  const {written, stream} = recorder(true);
  const progress = stageProgress("ingest", stream, {});
  progress.step(1, 2, "a.jsonl", 10, 1);
  progress.step(2, 2, "b.jsonl", 20, 1);
  progress.end();
  expect(written).toEqual([
    "\r\u001b[2Kingest 1/2 a.jsonl: 10 rows, 10 rows/s",
    "\r\u001b[2Kingest 2/2 b.jsonl: 20 rows, 20 rows/s",
    "\n"
  ]);
});

test("stageProgress writes nothing to a pipe or in CI", () => {
  for (const [isTTY, env] of [
    [false, {}],
    [true, {CI: "true"}]
  ] as const) {
    const {written, stream} = recorder(isTTY);
    const progress = stageProgress("ingest", stream, env);
    progress.step(1, 1, "a.jsonl", 10, 1);
    progress.end();
    expect(written).toEqual([]);
  }
});
