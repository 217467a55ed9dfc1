// The workbench's own config (workbench.config.json): sources, prices, launch gates, costs of errors.
// Strict objects everywhere: a misspelled gate must fail loudly, not silently vanish.
import {z} from "zod";
import {canonicalTables} from "./tables.js";

const tableNames = canonicalTables.map((t) => t.name) as [string, ...string[]];

export const sourceSchema = z.strictObject({
  path: z.string().min(1).describe("file name or glob (*, **) relative to the workspace"),
  format: z.string().min(1).optional().describe("adapter name; detected from the content when omitted"),
  table: z.enum(tableNames).optional().describe("canonical table, for formats that can fill several"),
  columns: z.record(z.string(), z.string()).optional().describe("canonical field → column name in the file"),
  defaults: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe("values for fields the file lacks"),
});

export const priceSchema = z.strictObject({
  model: z.string().min(1),
  provider: z.string().min(1).optional(),
  input_per_mtok: z.number().nonnegative(),
  output_per_mtok: z.number().nonnegative(),
});

export const gateMetrics = ["pass_rate", "mean_score", "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "cost_per_request_usd", "refusal_rate", "error_rate"] as const;

export const gateSchema = z
  .strictObject({
    metric: z.enum(gateMetrics),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .refine((g) => (g.min === undefined) !== (g.max === undefined), {message: "a gate needs exactly one of min or max"});

/** A system a launch gate reads: its model, and its prompt version or its option's name (a promptfoo
 * provider label) when the suite has several systems with that model. */
const systemSchema = z.strictObject({
  model: z.string().min(1),
  prompt_version: z.string().min(1).optional(),
  option: z.string().min(1).optional().describe("the option's name, e.g. a promptfoo provider label, when several options share the model"),
});

export const launchSchema = z.strictObject({
  feature: z.string().min(1),
  suite: z.string().min(1),
  candidate: systemSchema,
  baseline: systemSchema.optional(),
  gates: z.array(gateSchema).min(1),
});

export const classifierSchema = z.strictObject({
  task: z.string().min(1),
  positive_label: z.string().min(1).optional(),
  cost_false_positive: z.number().nonnegative(),
  cost_false_negative: z.number().nonnegative(),
  target_accuracy: z.number().gt(0).lte(1).optional(),
});

export const configSchema = z.strictObject({
  workspace: z.string().min(1).optional().describe("workspace folder, relative to this file; WORKBENCH_WORKSPACE overrides it"),
  product: z.strictObject({name: z.string().min(1)}).optional(),
  sources: z.array(sourceSchema).default([]),
  prices: z.array(priceSchema).default([]),
  launches: z.array(launchSchema).default([]),
  classifiers: z.array(classifierSchema).default([]),
  budgets: z
    .strictObject({
      cost_per_request_usd: z.record(z.string(), z.number().nonnegative()).optional(),
      latency_p95_ms: z.record(z.string(), z.number().nonnegative()).optional(),
    })
    .optional(),
  privacy: z
    .strictObject({
      redact_free_text: z.boolean().default(true),
      excerpt_chars: z.number().int().min(0).max(2000).default(160),
    })
    .default({redact_free_text: true, excerpt_chars: 160}),
});

export type WorkbenchConfig = z.infer<typeof configSchema>;
export type LaunchConfig = z.infer<typeof launchSchema>;
export type GateConfig = z.infer<typeof gateSchema>;
