// Prediction CSVs as a PM exports them from a notebook, no config needed: `label` + `score` is a
// binary classifier (score = probability of the positive class), `label` + `predicted` a multiclass
// one, `human_label` + `judge_label` an LLM judge against people. The task is the file name and the
// id the row number unless columns say otherwise; `model`, `segment`, `at` are optional. A config
// `sources[]` entry renames columns (`columns: {label: "label_value"}`) or fills them (`defaults`).
import {basename, extname} from "node:path";
import type {Adapter} from "./adapter.js";
import {csvHeader, csvRecords} from "./nativeCsv.js";
import {sourceColumn} from "./nativeTable.js";
import {stageRecords, type StagedRecord} from "../warehouse/stageRecords.js";
import {predictions} from "../schema/tables.js";
import type {SourceConfig, WorkspaceFile} from "../workspace/files.js";

type Kind = "binary" | "multiclass" | "judge";
const kinds: readonly Kind[] = ["binary", "multiclass", "judge"];

/** Canonical field → the CSV fields it may come from, first present wins (before config renames). */
const fieldsOf: Record<Kind, Record<string, readonly string[]>> = {
  binary: {label: ["label"], score: ["score"], predicted: ["predicted"]},
  multiclass: {label: ["label"], predicted: ["predicted"], score: ["score"]},
  judge: {label: ["human_label", "label"], predicted: ["judge_label", "predicted"], score: ["score"]}
};
const shared = ["id", "at", "task", "model", "segment", "positive_label"] as const;

export const defaultModel = "unspecified";

interface Shape {
  /** Known from the header alone, or "binary-or-multiclass" when label, predicted and score are all there. */
  kind: Kind | "binary-or-multiclass";
}

function shapeOf(header: readonly string[], source?: SourceConfig): Shape | undefined {
  const has = (field: string) => header.includes(sourceColumn(field, source));
  const kind = source?.defaults?.kind;
  if (typeof kind === "string" && (kinds as readonly string[]).includes(kind)) return {kind: kind as Kind};
  if (has("human_label") && has("judge_label")) return {kind: "judge"};
  if (!has("label")) return undefined;
  if (has("score") && has("predicted")) return {kind: "binary-or-multiclass"};
  if (has("score")) return {kind: "binary"};
  if (has("predicted")) return {kind: "multiclass"};
  return undefined;
}

function claims(file: WorkspaceFile): Shape | undefined {
  if (file.source?.format && file.source.format !== predictionsCsv.name) return undefined;
  if (!/\.(csv|tsv)$/i.test(file.name)) return undefined;
  const header = csvHeader(file.head);
  // A header with `kind` is the workbench's own CSV format, which native-csv reads.
  if (header.includes(sourceColumn("kind", file.source)) && file.source?.format !== predictionsCsv.name)
    return undefined;
  return shapeOf(header, file.source);
}

/** With label, predicted and score all present: two labels in all make it binary, more make it multiclass. */
async function decideKind(file: WorkspaceFile): Promise<Kind> {
  const seen = new Set<string>();
  const columns = [sourceColumn("label", file.source), sourceColumn("predicted", file.source)];
  for await (const r of csvRecords(file.path)) {
    for (const c of columns) if (r.record?.[c]) seen.add(r.record[c].trim());
    if (seen.size > 2) return "multiclass";
  }
  return "binary";
}

/** The file's column for a canonical field: the first of its candidates the header has, after config renames. */
function columnOf(file: WorkspaceFile, candidates: readonly string[]): string {
  const header = csvHeader(file.head);
  return (
    candidates.map((c) => sourceColumn(c, file.source)).find((c) => header.includes(c)) ??
    sourceColumn(candidates[0], file.source)
  );
}

async function* toStaged(file: WorkspaceFile, kind: Kind): AsyncGenerator<StagedRecord> {
  const source = file.source;
  const defaults: Record<string, unknown> = {
    task: basename(file.name, extname(file.name)),
    model: defaultModel,
    ...source?.defaults,
    kind
  };
  const columns = Object.entries({...Object.fromEntries(shared.map((f) => [f, [f]])), ...fieldsOf[kind]}).map(
    ([field, candidates]) => [field, columnOf(file, candidates)] as const
  );
  let row = 0;
  for await (const r of csvRecords(file.path)) {
    row++;
    const values: Record<string, unknown> = {};
    for (const [field, column] of columns) values[field] = r.record?.[column] || defaults[field];
    values.kind = kind;
    values.id ??= String(row);
    yield {line: r.line, raw: r.raw, values, error: r.error};
  }
}

export const predictionsCsv: Adapter = {
  name: "predictions-csv",
  description:
    "prediction CSV: label + score (binary), label + predicted (multiclass) or human_label + judge_label (judge); docs/classifiers.md",
  tables: ["predictions"],
  detect: (file) => claims(file) !== undefined,
  async stage(ctx, file) {
    const shape = claims(file) ?? shapeOf(csvHeader(file.head), file.source);
    if (!shape) {
      const wanted = ["label + score", "label + predicted", "human_label + judge_label"].join(", ");
      throw new Error(
        `the header has none of the column pairs this format needs (${wanted}); found: ${csvHeader(file.head).join(", ")}`
      );
    }
    const kind = shape.kind === "binary-or-multiclass" ? await decideKind(file) : shape.kind;
    ctx.columns?.(
      "predictions",
      Object.fromEntries(
        Object.entries(fieldsOf[kind]).map(([field, candidates]) => [field, columnOf(file, candidates)])
      )
    );
    await stageRecords(ctx, predictions, file, predictionsCsv.name, toStaged(file, kind));
  }
};
