// docs/formats.md is generated from the table specs, so the documented format is the validated one.
// The tools' formats are written by hand, one file per tool under docs/tools/, and appended in name order.
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {canonicalTables} from "./tables.js";
import type {FieldSpec} from "./fields.js";
import {RESERVED_LABELS} from "../../src/lib/all.js";

function typeText(f: FieldSpec): string {
  const base = f.values
    ? `one of ${f.values.map((v) => `\`${v}\``).join(", ")}`
    : {
        string: "text",
        number: "number",
        integer: "whole number",
        boolean: "true/false",
        timestamp: "ISO 8601 timestamp"
      }[f.type];
  const range = [f.min !== undefined ? `≥ ${f.min}` : "", f.max !== undefined ? `≤ ${f.max}` : ""]
    .filter(Boolean)
    .join(", ");
  return [base, range].filter(Boolean).join(", ");
}

export function formatsMarkdown(): string {
  const lines = [
    "# Native formats",
    "",
    "<!-- Generated from loaders/schema/tables.ts by `npm run docs`; edit the specs, not this file. -->",
    "",
    "The workbench's own formats are JSONL (one JSON object per line) or CSV (a header row), with the canonical field names below. Which table " +
      "a file fills is recognized from its keys (for example `run_id` + `case_id` → eval results); a `sources` entry in `workbench.config.json` " +
      'can name the table, rename columns (`columns: {canonical: "their name"}`) and give `defaults`. Unknown fields are ignored. A row that ' +
      "breaks a rule below is quarantined with its file, line, field and reason; a second row with the same key is quarantined as a duplicate. " +
      "An identifier or label (any text field that is neither free text nor one of a listed set of values) may not be exactly " +
      `${RESERVED_LABELS.map((r) => `\`${r.label}\``).join(" or ")}: the pages use those names for ` +
      `${RESERVED_LABELS.map((r) => r.meaning).join(" and for ")}, so such a row is quarantined, ` +
      "asking for the value to be renamed at its source.",
    "",
    "Tools' own outputs (promptfoo results JSON and CSV, OpenAI Evals logs, Inspect logs, OTLP, Langfuse…) are read without conversion: " +
      "[evals.md](evals.md) and [production.md](production.md) say what each of their fields becomes, including `option` and `eval_id` below.",
    "",
    "Booleans accept true/false, 1/0, yes/no. Timestamps need an offset or `Z` (naive timestamps are read as UTC). Free-text fields are " +
      "redacted (credentials, card and bank account numbers, emails, phone numbers, IP addresses: see [privacy.md](privacy.md)) and truncated " +
      "before they are stored; with `privacy.redact_free_text` false, only credentials and card numbers are.",
    "",
    "A CSV's lines may end in `\\n`, `\\r\\n` or `\\r`, mixed within one file; a quarantined row names the physical line it starts on. Spaces " +
      "around a value are dropped. A class label (marked below) also loses any other whitespace around it, and within a task its spellings that " +
      "differ only in case count as one label, the spelling most rows use; the Data quality page lists every spelling so merged, with its " +
      "file, column and rows.",
    ""
  ];
  for (const t of canonicalTables) {
    lines.push(
      `## \`${t.name}\``,
      "",
      `${t.doc} Key: ${t.key.map((k) => `\`${k}\``).join(" + ")}.`,
      "",
      "| field | type | required | meaning |",
      "|---|---|---|---|"
    );
    for (const f of t.fields) {
      const extra = [
        f.freeText ? "Redacted free text." : "",
        f.classLabel ? "Class label: spellings merged (see above)." : "",
        f.default !== undefined ? `Defaults to ${f.default}.` : ""
      ]
        .filter(Boolean)
        .join(" ");
      lines.push(
        `| \`${f.name}\` | ${typeText(f)} | ${f.required ? "yes" : ""} | ${f.doc}${extra ? " " + extra : ""} |`
      );
    }
    lines.push("");
  }
  return [lines.join("\n"), ...toolSections()].join("\n");
}

const toolsDir = join(import.meta.dirname, "..", "..", "docs", "tools");

/** The hand-written docs/tools/*.md, each a section on one tool's files and what their fields become. */
function toolSections(): string[] {
  const files = readdirSync(toolsDir)
    .filter((f) => f.endsWith(".md"))
    .sort();
  if (!files.length) return [];
  return [
    "# Tool formats",
    "",
    "<!-- Appended from docs/tools/*.md by `npm run docs`; edit those files. -->",
    "",
    "Files written by the tools below are recognized by their content and mapped into the tables above. Each section says which versions were tried and what each field becomes.",
    "",
    ...files.map((f) => readFileSync(join(toolsDir, f), "utf8").trimEnd() + "\n")
  ];
}
