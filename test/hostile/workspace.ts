// A hostile workspace, written at test time (symlinks and FIFOs cannot live in git): every file is
// built to break one thing — parsing, counting, prototype-named keys, glob-like names, links that
// leave the folder or loop, absurd values, HTML payloads and planted secrets in every text field.
// Each file's expected outcome is written here by construction, independently of the adapters.
import {execFileSync} from "node:child_process";
import {mkdirSync, mkdtempSync, symlinkSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

export interface Expected {
  file: string;
  status: "ingested" | "failed" | "refused" | "unreadable";
  table?: string;
  rowsIn: number;
  accepted: number;
  quarantined: number;
  /** A fragment of the reason a --strict build or the quarantine must show for this file. */
  reason?: string;
}

/** Text payloads that must never execute in any page: script tags, event handlers, javascript: links. */
export const payloads = [
  "<script>window.__pwned=1</script>",
  `<img src=x onerror="window.__pwned=1">`,
  "javascript:window.__pwned=1",
  `"><svg onload=window.__pwned=1>`
];
/** Secrets and personal data planted in free text (h4's detectors and dist scan look for these). */
export const planted = {email: "jordan.rivera@example.com", key: "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"};
/** Names of Object.prototype members used as data: they must render, not crash a page. */
export const prototypeNames = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];

const payload = (i: number) => payloads[i % payloads.length];
const jsonl = (rows: unknown[]) => rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n";

/**
 * The fields of eval run `run` (one per payload), which every row of the run states alike: a run whose
 * rows disagree is quarantined whole (loaders/warehouse/evalRuns.ts; nightly.jsonl below plants one).
 * Between them the runs name every prototype member as a feature or a model.
 */
function runFields(run: number) {
  return {
    run_id: `run-${payload(run)}`,
    suite: payload(run + 1),
    feature: prototypeNames[run % prototypeNames.length],
    model: prototypeNames[(run + 1) % prototypeNames.length],
    prompt_version: prototypeNames[(run + 2) % prototypeNames.length]
  };
}

function evalRow(i: number, over: Record<string, unknown> = {}) {
  return {
    ...runFields(i % payloads.length),
    case_id: `case-${i}`,
    started_at: "2026-11-01T09:00:00Z",
    category: payload(i + 2),
    tags: payload(i + 3),
    grader: "model",
    score: 0.5,
    passed: i % 2 === 0,
    latency_ms: 900,
    input_tokens: 120,
    output_tokens: 40,
    input_excerpt: `${payload(i)} mail ${planted.email}`,
    expected_excerpt: `${payload(i + 1)} key ${planted.key}`,
    output_excerpt: `${payload(i)} mail ${planted.email} key ${planted.key}`,
    reason: `${payload(i + 1)} ${planted.key}`,
    error: i % 3 === 0 ? payload(i) : undefined,
    ...over
  };
}

function spanRow(i: number, over: Record<string, unknown> = {}) {
  return {
    trace_id: `trace-${i % 4}`,
    span_id: `span-${i}`,
    parent_span_id: i % 4 === 0 ? undefined : `span-${i - (i % 4)}`,
    name: payload(i),
    kind: i % 4 === 0 ? "chain" : "llm",
    start_time: `2026-11-0${1 + (i % 5)}T10:00:00Z`,
    duration_ms: 120 + i,
    feature: prototypeNames[i % prototypeNames.length],
    segment: payload(i + 1),
    category: prototypeNames[(i + 3) % prototypeNames.length],
    model: prototypeNames[(i + 1) % prototypeNames.length],
    provider: payload(i + 2),
    input_tokens: 100,
    output_tokens: 20,
    status: i % 7 === 0 ? "error" : "ok",
    error_message: i % 7 === 0 ? payload(i) : undefined,
    output_excerpt: `${payload(i)} ${planted.email}`,
    ...over
  };
}

/** OTLP attributes [{key, value}] from a flat map of strings and integers. */
const attrs = (map: Record<string, string | number>) =>
  Object.entries(map).map(([key, v]) => ({
    key,
    value: typeof v === "number" ? {intValue: String(v)} : {stringValue: v}
  }));

function otlpSpan(i: number, extra: Record<string, string | number> = {}, status: unknown = {code: 1}) {
  const start = 1_793_000_000_000_000_000n + BigInt(i) * 1_000_000_000n;
  return {
    traceId: "5b8efff798038103d269b633813fc60c",
    spanId: `eee19b7ec3c1b1${String(i).padStart(2, "0")}`,
    name: payload(i),
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 250_000_000n),
    status,
    attributes: attrs({
      "gen_ai.request.model": prototypeNames[i % prototypeNames.length],
      "gen_ai.usage.input_tokens": 10,
      "app.feature": payload(i),
      ...extra
    })
  };
}

export function writeHostileWorkspace(root = mkdtempSync(join(tmpdir(), "workbench-hostile-"))): {
  root: string;
  expected: Expected[];
} {
  const expected: Expected[] = [];
  const write = (name: string, content: string | Buffer) => writeFileSync(join(root, name), content);
  // A fixed reference time keeps the future check deterministic (the default is the build's day).
  write(
    "workbench.config.json",
    JSON.stringify({product: {name: payload(0)}, checks: {reference_time: "2026-12-01T00:00:00Z"}})
  );

  // Native eval rows: payloads and secrets everywhere, prototype names as features and models, and
  // values that parse but are absurd. 6 good rows, 7 absurd ones.
  const absurd = [
    evalRow(10, {case_id: "tokens-1e12", input_tokens: 1e12}),
    evalRow(11, {case_id: "latency-2-days", latency_ms: 2 * 86_400_000}),
    evalRow(12, {case_id: "before-1990", started_at: "1985-06-01T00:00:00Z"}),
    evalRow(13, {case_id: "year-2100", started_at: "2100-01-01T00:00:00Z"}),
    evalRow(14, {case_id: "chars-overflow", input_chars: 1e30}),
    `{"run_id":"r","case_id":"epoch-overflow","suite":"s","started_at":"2026-11-01T09:00:00Z","model":"m","passed":true,"epoch":99999999999999999999999}`,
    evalRow(15, {case_id: "tokens-overflow", output_tokens: 9.3e18})
  ];
  write("evals.jsonl", jsonl([...Array.from({length: 6}, (_, i) => evalRow(i)), ...absurd]));
  expected.push({
    file: "evals.jsonl",
    status: "ingested",
    table: "eval_results",
    rowsIn: 13,
    accepted: 6,
    quarantined: 7,
    reason: "expected ≤"
  });

  // One invalid UTF-8 byte in the third of four lines: that record is quarantined, not the file.
  const utf8Lines = [0, 1, 2, 3].map((i) =>
    Buffer.from(JSON.stringify(evalRow(20 + i, {...runFields(0), run_id: "utf8-run"})) + "\n")
  );
  utf8Lines[2] = Buffer.concat([
    Buffer.from(`{"run_id":"utf8-run","case_id":"bad-byte","suite":"s`),
    Buffer.from([0xff]),
    Buffer.from(`","started_at":"2026-11-01T09:00:00Z","model":"m","passed":true}\n`)
  ]);
  write("invalid-utf8.jsonl", Buffer.concat(utf8Lines));
  expected.push({
    file: "invalid-utf8.jsonl",
    status: "ingested",
    table: "eval_results",
    rowsIn: 4,
    accepted: 3,
    quarantined: 1,
    reason: "UTF-8"
  });

  // A nightly job that wrote one run_id for three suites (payloads, which the quarantine's reason quotes):
  // all its rows are quarantined with one reason, whatever else is right with them.
  write(
    "nightly.jsonl",
    jsonl(
      [0, 1, 2, 3, 4, 5].map((i) =>
        evalRow(30 + i, {...runFields(0), run_id: `nightly-${payload(0)}`, suite: payload(i % 3)})
      )
    )
  );
  expected.push({
    file: "nightly.jsonl",
    status: "ingested",
    table: "eval_results",
    rowsIn: 6,
    accepted: 0,
    quarantined: 6,
    reason: "names 3 suites"
  });

  // File names that are globs or quotes to a reader that expands them; each holds 2 spans.
  const globNames = ["e*.jsonl", "[a].jsonl", "?.jsonl", `it's "quoted".jsonl`];
  globNames.forEach((name, n) => {
    write(
      name,
      jsonl([
        spanRow(100 + n * 2, {trace_id: `glob-${n}`, parent_span_id: undefined, kind: "chain"}),
        spanRow(101 + n * 2, {trace_id: `glob-${n}`, parent_span_id: `span-${100 + n * 2}`})
      ])
    );
    expected.push({file: name, status: "ingested", table: "spans", rowsIn: 2, accepted: 2, quarantined: 0});
  });
  // A file the glob "e*.jsonl" would also match: it must be read once, as itself.
  write("eXtra.jsonl", jsonl([spanRow(120, {trace_id: "extra", parent_span_id: undefined, kind: "chain"})]));
  expected.push({file: "eXtra.jsonl", status: "ingested", table: "spans", rowsIn: 1, accepted: 1, quarantined: 0});

  // Native spans with absurd durations and times, and payloads in every text field. 8 good, 3 absurd.
  write(
    "spans.jsonl",
    jsonl([
      ...Array.from({length: 8}, (_, i) => spanRow(i)),
      spanRow(8, {span_id: "latency-2-days", duration_ms: 2 * 86_400_000 + 1}),
      spanRow(9, {span_id: "year-1970", start_time: "1970-01-01T00:00:00Z"}),
      spanRow(10, {span_id: "tokens-2e9", output_tokens: 2e9})
    ])
  );
  expected.push({
    file: "spans.jsonl",
    status: "ingested",
    table: "spans",
    rowsIn: 11,
    accepted: 8,
    quarantined: 3,
    reason: "expected"
  });

  // Safety flags whose reviewer notes, decision and excerpt are payloads, pointing at a trace above: the
  // case view shows them as text and links the trace.
  write(
    "flags.jsonl",
    jsonl(
      Array.from({length: 2}, (_, i) => ({
        flag_id: `flag-${i}`,
        at: "2026-11-02T10:00:00Z",
        feature: prototypeNames[i % prototypeNames.length],
        category: payload(i),
        severity: "high",
        status: "open",
        decision: payload(i + 1),
        reviewer: payload(i + 2),
        excerpt: payload(i + 3),
        trace_id: `trace-${i}`
      }))
    )
  );
  expected.push({file: "flags.jsonl", status: "ingested", table: "flags", rowsIn: 2, accepted: 2, quarantined: 0});

  // A CSV with one stray quote: that record is quarantined, the rows after it still read.
  const csvHeader = "event_id,at,feature,action,original_text,edited_text,reason";
  const csvRow = (i: number, original: string) =>
    `c-${i},2026-11-0${1 + (i % 5)}T11:00:00Z,${prototypeNames[i % prototypeNames.length]},edited,${original},fixed ${i},${payload(i).replaceAll('"', "'").replaceAll(",", " ")}`;
  write(
    "corrections.csv",
    [
      csvHeader,
      csvRow(1, "plain"),
      csvRow(2, `a "stray quote here`),
      csvRow(3, "after"),
      csvRow(4, `mail ${planted.email}`),
      ""
    ].join("\n")
  );
  expected.push({
    file: "corrections.csv",
    status: "ingested",
    table: "corrections",
    rowsIn: 4,
    accepted: 3,
    quarantined: 1,
    reason: "quote"
  });

  // OTLP values that hold no span, in every position, beside 3 real spans whose attribute keys and
  // status codes are Object.prototype members. Every non-span value is a record in and quarantined.
  const junkDoc = {
    resourceSpans: [
      {foo: 1},
      "a string",
      [1, 2],
      {
        resource: {attributes: attrs({"service.name": payload(0)})},
        scopeSpans: [
          {foo: 1},
          42,
          {
            scope: {name: "s"},
            spans: [
              otlpSpan(1, {constructor: "c", __proto__: "p", toString: "t", hasOwnProperty: "h"}),
              "not a span",
              null,
              [otlpSpan(9)],
              otlpSpan(2, {}, {code: "constructor"}),
              otlpSpan(3, {}, {code: "__proto__", message: payload(3)})
            ]
          }
        ]
      }
    ]
  };
  write("otlp-junk.json", JSON.stringify(junkDoc, null, 2));
  // Not spans: {foo:1}, "a string", [1,2] (resourceSpans); {foo:1}, 42 (scopeSpans); "not a span", null, [span] (spans) = 8.
  // The spans whose status code names a prototype member are quarantined for their status (not a crash).
  expected.push({
    file: "otlp-junk.json",
    status: "ingested",
    table: "spans",
    rowsIn: 11,
    accepted: 1,
    quarantined: 10,
    reason: "no span"
  });

  // Native JSON Lines whose first line is longer than the 64 KB head, with its keys after the long text.
  const {output_excerpt: _, ...rest} = spanRow(400, {trace_id: "long-first", parent_span_id: undefined, kind: "chain"});
  const longFirst = {output_excerpt: `${payload(1)} ${"y".repeat(150_000)}`, ...rest};
  write(
    "long-first-line.jsonl",
    jsonl([longFirst, spanRow(401, {trace_id: "long-first", parent_span_id: "span-400"})])
  );
  expected.push({
    file: "long-first-line.jsonl",
    status: "ingested",
    table: "spans",
    rowsIn: 2,
    accepted: 2,
    quarantined: 0
  });

  // One OTLP document on one line, longer than the 64 KB head used to recognize files.
  const longDoc = {
    resourceSpans: [
      {
        resource: {attributes: attrs({"service.name": "x".repeat(200_000)})},
        scopeSpans: [{spans: [otlpSpan(4), otlpSpan(5)]}]
      }
    ]
  };
  write("otlp-one-long-line.json", JSON.stringify(longDoc));
  expected.push({
    file: "otlp-one-long-line.json",
    status: "ingested",
    table: "spans",
    rowsIn: 2,
    accepted: 2,
    quarantined: 0
  });

  // 10k-level nesting inside one record of a JSON Lines OTLP file: that record fails with a clear
  // message, the line after it is read.
  // The feature attribute of the middle span is an AnyValue array nested 10,000 deep.
  const deep = `{"arrayValue":{"values":[`.repeat(10_000) + `{"stringValue":"x"}` + "]}}".repeat(10_000);
  const line = (i: number, extra = "") =>
    `{"resourceSpans":[{"scopeSpans":[{"spans":[${JSON.stringify(otlpSpan(i)).replace(`"attributes":[`, `"attributes":[${extra}`)}]}]}]}`;
  write("otlp-deep.jsonl", [line(6), line(7, `{"key":"app.feature","value":${deep}},`), line(8)].join("\n") + "\n");
  expected.push({
    file: "otlp-deep.jsonl",
    status: "ingested",
    table: "spans",
    rowsIn: 3,
    accepted: 2,
    quarantined: 1,
    reason: "nest"
  });

  // A .json that does not parse: an invalid escape in a key, in a document recognized by its keys.
  write("bad-escape.json", `{\n  "evalId": "e1",\n  "results": {"version": 3},\n  "bad\\q": 1\n}\n`);
  expected.push({
    file: "bad-escape.json",
    status: "failed",
    rowsIn: 1,
    accepted: 0,
    quarantined: 1,
    reason: "line 4, column 8"
  });

  // Links: one leaving the workspace (refused), a loop (refused), a dangling one and a FIFO (unreadable).
  const outside = mkdtempSync(join(tmpdir(), "workbench-outside-"));
  writeFileSync(join(outside, "secret-spans.jsonl"), jsonl([spanRow(200)]));
  symlinkSync(join(outside, "secret-spans.jsonl"), join(root, "outside-link.jsonl"));
  expected.push({
    file: "outside-link.jsonl",
    status: "refused",
    rowsIn: 0,
    accepted: 0,
    quarantined: 0,
    reason: "outside the workspace"
  });
  mkdirSync(join(root, "nested"));
  symlinkSync("..", join(root, "nested", "loop"));
  expected.push({file: "nested/loop", status: "refused", rowsIn: 0, accepted: 0, quarantined: 0, reason: "loop"});
  symlinkSync("does-not-exist.jsonl", join(root, "dangling.jsonl"));
  expected.push({
    file: "dangling.jsonl",
    status: "unreadable",
    rowsIn: 0,
    accepted: 0,
    quarantined: 0,
    reason: "ENOENT"
  });
  execFileSync("mkfifo", [join(root, "pipe.jsonl")]);
  expected.push({
    file: "pipe.jsonl",
    status: "unreadable",
    rowsIn: 0,
    accepted: 0,
    quarantined: 0,
    reason: "not a regular file"
  });
  // A link inside the workspace is read as the file it points to.
  // (Its target is in a hidden folder, which the workspace walk skips, so it is read once.)
  mkdirSync(join(root, ".kept"));
  writeFileSync(
    join(root, ".kept", "spans.jsonl"),
    jsonl([spanRow(300, {trace_id: "linked", parent_span_id: undefined, kind: "chain"})])
  );
  symlinkSync(join(".kept", "spans.jsonl"), join(root, "inside-link.jsonl"));
  expected.push({
    file: "inside-link.jsonl",
    status: "ingested",
    table: "spans",
    rowsIn: 1,
    accepted: 1,
    quarantined: 0
  });

  return {root, expected};
}
