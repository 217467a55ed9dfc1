// docs/formats.md is generated from the table specs, so the documented format is the validated one.
import {canonicalTables} from "./tables.js";
import type {FieldSpec} from "./fields.js";

function typeText(f: FieldSpec): string {
  const base = f.values ? `one of ${f.values.map((v) => `\`${v}\``).join(", ")}` : {string: "text", number: "number", integer: "whole number", boolean: "true/false", timestamp: "ISO 8601 timestamp"}[f.type];
  const range = [f.min !== undefined ? `≥ ${f.min}` : "", f.max !== undefined ? `≤ ${f.max}` : ""].filter(Boolean).join(", ");
  return [base, range].filter(Boolean).join(", ");
}

export function formatsMarkdown(): string {
  const lines = [
    "# Native formats",
    "",
    "<!-- Generated from loaders/schema/tables.ts by `npm run docs`; edit the specs, not this file. -->",
    "",
    "The workbench's own formats are JSONL (one JSON object per line) or CSV (a header row), with the canonical field names below. Which table a file fills is recognized from its keys (for example `run_id` + `case_id` → eval results); a `sources` entry in `workbench.config.json` can name the table, rename columns (`columns: {canonical: \"their name\"}`) and give `defaults`. Unknown fields are ignored. A row that breaks a rule below is quarantined with its file, line, field and reason; a second row with the same key is quarantined as a duplicate.",
    "",
    "Tools' own outputs (promptfoo results JSON and CSV, OpenAI Evals logs, Inspect logs, OTLP, Langfuse…) are read without conversion: [evals.md](evals.md) and [production.md](production.md) say what each of their fields becomes, including `option` and `eval_id` below.",
    "",
    "Booleans accept true/false, 1/0, yes/no. Timestamps need an offset or `Z` (naive timestamps are read as UTC). Free-text fields are redacted (emails, phone and card numbers, API keys) and truncated before they are stored, unless `privacy.redact_free_text` is false.",
    "",
  ];
  for (const t of canonicalTables) {
    lines.push(`## \`${t.name}\``, "", `${t.doc} Key: ${t.key.map((k) => `\`${k}\``).join(" + ")}.`, "", "| field | type | required | meaning |", "|---|---|---|---|");
    for (const f of t.fields) {
      const extra = [f.freeText ? "Redacted free text." : "", f.default !== undefined ? `Defaults to ${f.default}.` : ""].filter(Boolean).join(" ");
      lines.push(`| \`${f.name}\` | ${typeText(f)} | ${f.required ? "yes" : ""} | ${f.doc}${extra ? " " + extra : ""} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
