// The workbench's own config (workbench.config.json): sources, prices, launch gates, costs of errors.
// Strict objects everywhere: a misspelled gate must fail loudly, not silently vanish.
import {z} from "zod";
import {canonicalTables} from "./tables.js";
import {timestampPattern, type TimeBounds} from "./fields.js";

const instant = z
  .string()
  .regex(new RegExp(timestampPattern), "expected an ISO 8601 timestamp such as 2026-01-01T00:00:00Z");

export const checksSchema = z.strictObject({
  earliest_time: instant
    .default("1990-01-01T00:00:00Z")
    .describe("timestamps before this are quarantined; defaults to 1990-01-01T00:00:00Z"),
  future_tolerance_hours: z
    .number()
    .nonnegative()
    .default(24)
    .describe("timestamps more than this many hours after the reference time are quarantined; defaults to 24"),
  reference_time: instant
    .optional()
    .describe("the time future timestamps are measured from; defaults to the end of the build's UTC day")
});

const tableNames = canonicalTables.map((t) => t.name) as [string, ...string[]];

export const sourceSchema = z.strictObject({
  path: z.string().min(1).describe("file name or glob (*, **) relative to the workspace"),
  format: z.string().min(1).optional().describe("adapter name; detected from the content when omitted"),
  table: z.enum(tableNames).optional().describe("canonical table, for formats that can fill several"),
  columns: z.record(z.string(), z.string()).optional().describe("canonical field → column name in the file"),
  defaults: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe("values for fields the file lacks")
});

export const priceSchema = z.strictObject({
  model: z.string().min(1),
  provider: z.string().min(1).optional(),
  input_per_mtok: z.number().nonnegative(),
  output_per_mtok: z.number().nonnegative()
});

export const gateMetrics = [
  "pass_rate",
  "mean_score",
  "latency_p50_ms",
  "latency_p95_ms",
  "latency_p99_ms",
  "cost_per_request_usd",
  "refusal_rate",
  "error_rate"
] as const;

export const gateSchema = z
  .strictObject({
    metric: z.enum(gateMetrics),
    min: z.number().optional(),
    max: z.number().optional(),
    margin: z
      .number()
      .nonnegative()
      .optional()
      .describe(
        "non-inferiority margin, in the metric's unit: the gate passes when the interval clears min − margin (or max + margin)"
      )
  })
  .refine((g) => (g.min === undefined) !== (g.max === undefined), {message: "a gate needs exactly one of min or max"});

/** A system a launch gate reads: its model, and its prompt version or its option's name (a promptfoo
 * provider label) when the suite has several systems with that model. */
const systemSchema = z.strictObject({
  model: z.string().min(1),
  prompt_version: z.string().min(1).optional(),
  option: z
    .string()
    .min(1)
    .optional()
    .describe("the option's name, e.g. a promptfoo provider label, when several options share the model")
});

export const launchSchema = z.strictObject({
  feature: z.string().min(1),
  suite: z.string().min(1),
  candidate: systemSchema,
  baseline: systemSchema.optional(),
  gates: z.array(gateSchema).min(1)
});

export const classifierSchema = z.strictObject({
  task: z.string().min(1),
  positive_label: z.string().min(1).optional(),
  cost_false_positive: z.number().nonnegative(),
  cost_false_negative: z.number().nonnegative(),
  target_accuracy: z.number().gt(0).lte(1).optional()
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
    better: z.enum(["higher", "lower"]).default("higher").describe("which direction is an improvement")
  })
  .refine((m) => (m.kind === "ratio") === (m.numerator !== undefined && m.denominator !== undefined), {
    message: "a ratio metric needs numerator and denominator, and only a ratio has them"
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
    minimum_effect: z
      .number()
      .positive()
      .describe("smallest relative change of the primary metric worth shipping, e.g. 0.02"),
    stopped: z.boolean().default(false).describe("the experiment was stopped early"),
    segments: z.array(z.enum(["segment", "plan", "country"])).default(["segment", "plan", "country"])
  })
  .refine((e) => e.control in e.variants, {message: "control must be one of the variants", path: ["control"]})
  .refine((e) => Object.keys(e.variants).length >= 2, {
    message: "an experiment needs at least two variants",
    path: ["variants"]
  })
  .refine((e) => e.end !== undefined || e.sample_size !== undefined, {
    message: "give a planned end or a sample_size",
    path: ["end"]
  });

export const configSchema = z.strictObject({
  workspace: z
    .string()
    .min(1)
    .optional()
    .describe("workspace folder, relative to this file; WORKBENCH_WORKSPACE overrides it"),
  product: z.strictObject({name: z.string().min(1)}).optional(),
  sources: z.array(sourceSchema).default([]),
  prices: z.array(priceSchema).default([]),
  launches: z.array(launchSchema).default([]),
  classifiers: z.array(classifierSchema).default([]),
  experiments: z.array(experimentSchema).default([]),
  budgets: z
    .strictObject({
      cost_per_request_usd: z.record(z.string(), z.number().nonnegative()).optional(),
      latency_p95_ms: z.record(z.string(), z.number().nonnegative()).optional()
    })
    .optional(),
  bakeoff: z
    .strictObject({
      margin: z
        .record(z.string(), z.number().nonnegative().max(1))
        .describe(
          "feature → non-inferiority margin in rate units (0.02 = 2 points): an option qualifies when the interval of its difference from the best clears −margin"
        )
    })
    .optional(),
  checks: checksSchema.default({earliest_time: "1990-01-01T00:00:00Z", future_tolerance_hours: 24}),
  privacy: z
    .strictObject({
      redact_free_text: z.boolean().default(true),
      excerpt_chars: z.number().int().min(0).max(2000).default(160)
    })
    .default({redact_free_text: true, excerpt_chars: 160})
});

export type WorkbenchConfig = z.infer<typeof configSchema>;
export type LaunchConfig = z.infer<typeof launchSchema>;
export type GateConfig = z.infer<typeof gateSchema>;
export type ExperimentConfig = z.infer<typeof experimentSchema>;
export type ExperimentMetric = z.infer<typeof experimentMetricSchema>;

/** The build's time: WORKBENCH_BUILD_TIME, which the build sets once for itself and its data loaders, else now. */
export function buildTime(env: NodeJS.ProcessEnv = process.env): Date {
  const set = env.WORKBENCH_BUILD_TIME ? new Date(env.WORKBENCH_BUILD_TIME) : undefined;
  return set && !Number.isNaN(set.getTime()) ? set : new Date();
}

const asUtc = (iso: string) =>
  new Date(/(Z|[+-]\d{2}(:?\d{2})?)$/.test(iso) ? iso.replace(" ", "T") : `${iso.replace(" ", "T")}Z`);

/**
 * The timestamp range rows must fall in. The reference is the end of the build's UTC day, not the
 * build's instant, so every build of one day checks the same bounds (and gives byte-identical data
 * files); the warehouse fingerprint covers the bounds, so a new day rebuilds it. Tests and scheduled
 * builds that need a fixed reference set checks.reference_time.
 */
export function timeBounds(checks: z.infer<typeof checksSchema>, now: Date = buildTime()): TimeBounds {
  const endOfDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  const reference = checks.reference_time ? asUtc(checks.reference_time).getTime() : endOfDay;
  return {
    earliest: asUtc(checks.earliest_time).toISOString(),
    latest: new Date(reference + checks.future_tolerance_hours * 3_600_000).toISOString()
  };
}
