// The workbench's own config (workbench.config.json): sources, prices, launch gates, costs of errors.
// Strict objects everywhere: a misspelled gate must fail loudly, not silently vanish.
import {z} from "zod";
import {timestampPattern} from "./fields.js";
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

export const launchSchema = z.strictObject({
  feature: z.string().min(1),
  suite: z.string().min(1),
  candidate: z.strictObject({model: z.string().min(1), prompt_version: z.string().min(1).optional()}),
  baseline: z.strictObject({model: z.string().min(1), prompt_version: z.string().min(1).optional()}).optional(),
  gates: z.array(gateSchema).min(1),
});

export const classifierSchema = z.strictObject({
  task: z.string().min(1),
  positive_label: z.string().min(1).optional(),
  cost_false_positive: z.number().nonnegative(),
  cost_false_negative: z.number().nonnegative(),
  target_accuracy: z.number().gt(0).lte(1).optional(),
});

export const experimentMetricKinds = ["count", "sum", "binary", "ratio"] as const;

/**
 * A metric of an experiment, computed per unit from its outcome rows: count and sum add the values,
 * binary is 1 when any value is nonzero, ratio divides the sums of two outcome metrics per arm (by the
 * delta method, since the unit is the user, not the request).
 */
export const experimentMetricSchema = z
  .strictObject({
    name: z.string().min(1).describe("outcome metric name; for a ratio, the name the page shows"),
    kind: z.enum(experimentMetricKinds),
    numerator: z.string().min(1).optional().describe("ratio only: outcome metric summed on top"),
    denominator: z.string().min(1).optional().describe("ratio only: outcome metric summed below"),
    covariate: z.string().min(1).optional().describe("outcome metric measured before assignment, for CUPED"),
    better: z.enum(["higher", "lower"]).default("higher").describe("which direction is an improvement"),
  })
  .refine((m) => (m.kind === "ratio") === (m.numerator !== undefined && m.denominator !== undefined), {
    message: "a ratio metric needs numerator and denominator, and only a ratio has them",
  });

export const experimentSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    variants: z.record(z.string().min(1), z.number().positive()).describe("variant → planned traffic weight"),
    control: z.string().min(1),
    primary: experimentMetricSchema,
    guardrails: z.array(experimentMetricSchema).default([]),
    start: z.string().regex(new RegExp(timestampPattern)),
    end: z.string().regex(new RegExp(timestampPattern)).optional().describe("planned end"),
    sample_size: z.number().int().positive().optional().describe("planned units, all variants together"),
    minimum_effect: z.number().positive().describe("smallest relative change of the primary metric worth shipping, e.g. 0.02"),
    stopped: z.boolean().default(false).describe("the experiment was stopped early"),
    segments: z.array(z.enum(["segment", "plan", "country"])).default(["segment", "plan", "country"]),
  })
  .refine((e) => e.control in e.variants, {message: "control must be one of the variants", path: ["control"]})
  .refine((e) => Object.keys(e.variants).length >= 2, {message: "an experiment needs at least two variants", path: ["variants"]})
  .refine((e) => e.end !== undefined || e.sample_size !== undefined, {message: "give a planned end or a sample_size", path: ["end"]});

export const configSchema = z.strictObject({
  workspace: z.string().min(1).optional().describe("workspace folder, relative to this file; WORKBENCH_WORKSPACE overrides it"),
  product: z.strictObject({name: z.string().min(1)}).optional(),
  sources: z.array(sourceSchema).default([]),
  prices: z.array(priceSchema).default([]),
  launches: z.array(launchSchema).default([]),
  classifiers: z.array(classifierSchema).default([]),
  experiments: z.array(experimentSchema).default([]),
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
export type ExperimentConfig = z.infer<typeof experimentSchema>;
export type ExperimentMetric = z.infer<typeof experimentMetricSchema>;
