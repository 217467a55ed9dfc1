// The small readers behind the hardened adapters: literal paths for DuckDB, linear line location,
// parser positions as line and column, lines with invalid UTF-8 marked, and the timestamp bounds.
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, test} from "vitest";
import {lineAndColumn, parseJsonDocument, topLevelKeys} from "../../../../loaders/adapters/jsonHead.js";
import {LineLocator} from "../../../../loaders/adapters/jsonValues.js";
import {statusOf} from "../../../../loaders/adapters/otlpJson.js";
import {checksSchema, timeBounds} from "../../../../loaders/schema/config.js";
import {pathLiteral} from "../../../../loaders/warehouse/duckdb.js";
import {textLines} from "../../../../loaders/workspace/textLines.js";

describe("pathLiteral", () => {
  test("turns each glob character into a one-character class and quotes the rest", () => {
    expect(pathLiteral("/w/e*.jsonl")).toBe("'/w/e[*].jsonl'");
    expect(pathLiteral("/w/[a]?.jsonl")).toBe("'/w/[[]a][?].jsonl'");
    expect(pathLiteral(`/w/it's.jsonl`)).toBe(`'/w/it''s.jsonl'`);
  });
});

describe("LineLocator", () => {
  test("finds each record's line from the last hit on, else from the start", () => {
    const text = `[\n{"spanId": "a"},\n{"spanId":"b"},\n{"spanId" : "c"}\n]`;
    const locator = new LineLocator(text, 10);
    expect(locator.lineOf("b", "spanId")).toBe(12);
    expect(locator.lineOf("a", "spanId")).toBe(11);
    expect(locator.lineOf("c", "spanId")).toBe(13);
    expect(locator.lineOf("missing", "spanId")).toBe(13);
    expect(locator.current()).toBe(13);
  });

  test("takes time linear in the text: a 200k-span one-line document is located in seconds, not minutes", () => {
    const n = 200_000;
    const text = "[" + Array.from({length: n}, (_, i) => `{"spanId":"s${i}"}`).join(",") + "]";
    const locator = new LineLocator(text, 1);
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) locator.lineOf(`s${i}`, "spanId");
    // Quadratic would be 200k scans of ~3 MB: minutes. Linear is milliseconds. CPU time, not wall time: on
    // a machine shared with other builds (load 25–48) the wall time of this loop passed 7 and 10 s.
    const {user, system} = process.cpuUsage(start);
    expect((user + system) / 1000).toBeLessThan(5000);
  });
});

describe("parseJsonDocument", () => {
  test("names the line and column of the parser's position", () => {
    const text = `{\n  "a": 1,\n  "b\\q": 2\n}`;
    expect(() => parseJsonDocument(text)).toThrow(/^not valid JSON at line 3, column 6: /);
    expect(lineAndColumn("ab\ncd", 4)).toEqual({line: 2, column: 2});
  });

  test("topLevelKeys keeps an invalid escape as written instead of throwing", () => {
    expect(topLevelKeys(`{"evalId": 1, "bad\\q": 2}`)).toEqual(["evalId", "bad\\q"]);
  });
});

describe("textLines", () => {
  test("numbers every line, strips CR and a BOM, and marks the one that is not UTF-8", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "lines-")), "f.jsonl");
    writeFileSync(
      path,
      Buffer.concat([Buffer.from("\uFEFFone\r\n\ntw"), Buffer.from([0xff]), Buffer.from("o\nthree")])
    );
    const lines = [];
    for await (const l of textLines(path)) lines.push(l);
    expect(lines).toEqual([
      {line: 1, text: "one", invalidUtf8: false},
      {line: 2, text: "", invalidUtf8: false},
      {line: 3, text: "tw\uFFFDo", invalidUtf8: true},
      {line: 4, text: "three", invalidUtf8: false}
    ]);
  });
});

describe("statusOf", () => {
  test("reads prototype member names as unknown codes, passed on for the quarantine", () => {
    expect(statusOf("constructor")).toBe("constructor");
    expect(statusOf("__proto__")).toBe("__proto__");
    expect(statusOf("toString")).toBe("toString");
    expect(statusOf(2)).toBe("error");
    expect(statusOf("STATUS_CODE_OK")).toBe("ok");
  });
});

describe("timeBounds", () => {
  test("runs from 1990 to a day after the end of the build's UTC day, the same all day", () => {
    const checks = checksSchema.parse({});
    expect(timeBounds(checks, new Date("2026-12-04T00:00:01Z"))).toEqual({
      earliest: "1990-01-01T00:00:00.000Z",
      latest: "2026-12-06T00:00:00.000Z"
    });
    expect(timeBounds(checks, new Date("2026-12-04T23:59:59Z"))).toEqual(
      timeBounds(checks, new Date("2026-12-04T00:00:01Z"))
    );
  });

  test("takes the reference time and tolerance from the config", () => {
    const checks = checksSchema.parse({
      reference_time: "2026-01-01T00:00:00Z",
      future_tolerance_hours: 1,
      earliest_time: "2020-01-01T00:00:00Z"
    });
    expect(timeBounds(checks, new Date("2030-01-01T00:00:00Z"))).toEqual({
      earliest: "2020-01-01T00:00:00.000Z",
      latest: "2026-01-01T01:00:00.000Z"
    });
  });
});
