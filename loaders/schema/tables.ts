// The canonical data model. Every adapter maps its format into these tables; every page reads them.
import type {TableSpec} from "./fields.js";

// A string field is one of three things: a closed vocabulary (`values`), free text (redacted and cut
// at ingest), or an identifier or label (`id`), kept exact because tables join and group on it;
// secrets planted in an identifier are caught by the scan of dist/ (docs/privacy.md).
const id = (name: string, doc: string, required = true) => ({name, type: "string", required, doc}) as const;
const classLabel = (name: string, doc: string, required = true) =>
  ({...id(name, doc, required), classLabel: true}) as const;
const text = (name: string, doc: string) => ({name, type: "string", freeText: true, doc}) as const;
// Token counts beyond a billion and latencies beyond a day are not measurements but broken exporters
// (a nanosecond value in a millisecond field, a counter written over a token field): quarantined.
const maxTokens = 1e9;
const maxLatencyMs = 86_400_000;
const tokens = (name: string, doc: string) => ({name, type: "integer", min: 0, max: maxTokens, doc}) as const;
const nonNegative = (name: string, doc: string) => ({name, type: "number", min: 0, doc}) as const;
const latency = (name: string, doc: string, required = false) =>
  ({name, type: "number", required, min: 0, max: maxLatencyMs, doc}) as const;

/**
 * The eval_results fields that describe a whole run rather than one of its cases: what the eval pages
 * take once per run (eval_run, loaders/queries/evalTables.ts). A run whose rows disagree on one is
 * quarantined whole (loaders/warehouse/evalRuns.ts). Not started_at (each row's own time; a run starts at its earliest row), nor provider (how one request
 * was served and priced; no page reads it per run), nor the case's own fields (category, tags, sizes).
 *
 * Only distinct values that are present conflict. A row that leaves an optional field out (feature,
 * prompt_version, dataset_version, option and eval_id may be missing; suite and model are required)
 * says nothing about its run: a shard written by an older exporter, a `sources` default that fills
 * some files of a run, Inspect samples of which only some carry metadata.prompt_version. The run then
 * takes the one value its other rows state (eval_run uses min, which skips NULLs and, with one value
 * left, cannot depend on row order). Counting a missing value as a value of its own would quarantine
 * such outputs, whose runs are not in doubt.
 */
export const runLevelFields = [
  "suite",
  "feature",
  "model",
  "prompt_version",
  "dataset_version",
  "option",
  "eval_id"
] as const;
export type RunLevelField = (typeof runLevelFields)[number];

export const evalResults: TableSpec = {
  name: "eval_results",
  doc:
    "One graded case of one eval run. Every row of a run states the same " +
    `${runLevelFields.map((f) => `\`${f}\``).join(", ")} (a row may leave an optional one out); a run whose rows disagree, ` +
    "such as one run_id written for three suites, is quarantined with all its rows.",
  key: ["run_id", "case_id", "epoch"],
  timeField: "started_at",
  fields: [
    id("run_id", "Identifies the eval run; every case of a run shares it."),
    id("case_id", "Identifies the test case; the same case id across runs is what makes runs comparable."),
    {
      name: "epoch",
      type: "integer",
      min: 1,
      default: 1,
      doc: "Repetition number when a run grades each case more than once."
    },
    id("suite", "The eval suite (test set) the case belongs to."),
    {name: "started_at", type: "timestamp", required: true, doc: "When the run started."},
    id("feature", "Product feature the suite evaluates, e.g. ticket-summarization.", false),
    id("model", "Model under test."),
    id("provider", "Model vendor.", false),
    id("prompt_version", "System-prompt version used by the run.", false),
    id("dataset_version", "Version of the test set.", false),
    id(
      "option",
      "Name of the system under test when the source names it: a promptfoo provider's label (else its id), followed by the prompt's label when " +
        "the eval compares several prompts. Pages compare options under this name; defaults to model · prompt_version.",
      false
    ),
    id(
      "eval_id",
      "The eval invocation the run belongs to when one invocation grades several options side by side (promptfoo's evalId for all its provider × " +
        "prompt columns): its runs are options compared on the same cases, not consecutive runs. Defaults to run_id.",
      false
    ),
    id("category", "Case category, used for slicing.", false),
    id("tags", "Comma-separated extra tags.", false),
    {name: "input_chars", type: "integer", min: 0, doc: "Length of the case input in characters."},
    text(
      "input_excerpt",
      "Start of the case input (redacted): the prompt or test variables the model was given, e.g. promptfoo's vars, Inspect's sample input."
    ),
    text(
      "expected_excerpt",
      "Start of the expected output (redacted): the reference answer or what the grader checks against, e.g. Inspect's target, " +
        "an OpenAI Evals match's expected, promptfoo's assertion values."
    ),
    {name: "grader", type: "string", values: ["programmatic", "model", "human"], doc: "Who graded the case."},
    {name: "score", type: "number", min: 0, max: 1, doc: "Score in [0, 1]."},
    {name: "passed", type: "boolean", required: true, doc: "Whether the case passed."},
    latency("latency_ms", "End-to-end latency of the model call."),
    tokens("input_tokens", "Prompt tokens."),
    tokens("output_tokens", "Completion tokens."),
    nonNegative(
      "cost_usd",
      "Cost as reported by the source; computed from the price table when absent, or when 0 is reported for a call that used tokens (unknown if the table has no price)."
    ),
    {name: "refused", type: "boolean", doc: "Whether the model refused the request."},
    text("error", "Error message when the call failed (redacted: errors quote inputs and request headers)."),
    text("output_excerpt", "Start of the model output (redacted)."),
    id(
      "named_scores",
      'Named sub-scores as a JSON object, e.g. promptfoo namedScores or every Inspect scorer: {"Tone": 1, "Topicality": 0.6}.',
      false
    ),
    text("reason", "The grader's explanation of its verdict (redacted).")
  ]
};

export const spans: TableSpec = {
  name: "spans",
  doc: "One span of a production trace.",
  key: ["trace_id", "span_id"],
  timeField: "start_time",
  fields: [
    id("trace_id", "Trace the span belongs to."),
    id("span_id", "Span identifier, unique within the trace."),
    id("parent_span_id", "Parent span; empty for the root span.", false),
    id("name", "Span name."),
    {
      name: "kind",
      type: "string",
      required: true,
      values: [
        "llm",
        "tool",
        "retrieval",
        "chain",
        "agent",
        "embedding",
        "reranker",
        "guardrail",
        "evaluator",
        "unknown"
      ],
      doc: "What the span does."
    },
    {name: "start_time", type: "timestamp", required: true, doc: "Span start."},
    latency("duration_ms", "Span duration.", true),
    id("feature", "Product feature that served the request.", false),
    id("segment", "User segment, e.g. enterprise or smb.", false),
    id("category", "Request category (e.g. ticket category), used for drift.", false),
    id(
      "model",
      "Model called (llm spans): the requested model where the trace has it, else the one that answered.",
      false
    ),
    id(
      "response_model",
      "The model that answered, as the provider named it: often a dated snapshot of model (gpt-4.1-2025-04-14). Pages group a snapshot under its model and list it as a detail.",
      false
    ),
    id("provider", "Model vendor.", false),
    id("prompt_version", "System-prompt version.", false),
    {name: "input_chars", type: "integer", min: 0, doc: "Length of the request input in characters."},
    tokens("input_tokens", "Prompt tokens."),
    tokens("output_tokens", "Completion tokens."),
    nonNegative(
      "cost_usd",
      "Cost as reported; computed from the price table when absent, or when 0 is reported for a call that used tokens (unknown if the table has no price)."
    ),
    {name: "status", type: "string", values: ["ok", "error", "unset"], doc: "Span status."},
    id("finish_reason", "Why generation stopped: stop, length, content_filter, tool_calls…", false),
    text("error_message", "Error description for failed spans (redacted)."),
    text("output_excerpt", "Start of the output (redacted)."),
    id(
      "experiment",
      "The online experiment the request was served under, as named in the config's `experiments` (span attribute experiment.name, or " +
        "OpenTelemetry's feature_flag.key). With variant, it gives the experiments page its per-arm model guardrails.",
      false
    ),
    id(
      "variant",
      "The experiment's variant that served the request (span attribute experiment.variant, or OpenTelemetry's feature_flag.result.variant); one of the experiment's configured variants.",
      false
    )
  ]
};

export const corrections: TableSpec = {
  name: "corrections",
  doc: "What a user did with one model output.",
  key: ["event_id"],
  timeField: "at",
  fields: [
    id("event_id", "Identifies the event."),
    {name: "at", type: "timestamp", required: true, doc: "When the user acted."},
    id("feature", "Feature that produced the output."),
    id("model", "Model that produced the output.", false),
    id("prompt_version", "System-prompt version.", false),
    id("trace_id", "Trace of the request, linking to spans.", false),
    id("segment", "User segment.", false),
    id("category", "Request category.", false),
    {
      name: "action",
      type: "string",
      required: true,
      values: ["accepted", "edited", "rejected", "ignored", "escalated"],
      doc: "What the user did."
    },
    text("original_text", "The model output (redacted)."),
    text("edited_text", "The user's edited version (redacted)."),
    {
      name: "edit_distance",
      type: "number",
      min: 0,
      max: 1,
      doc: "Normalized Levenshtein distance between original and edited text; computed when absent."
    },
    {name: "rating", type: "number", doc: "Explicit rating, if the product asks for one."},
    text("reason", "Reason the user gave (redacted)."),
    id(
      "experiment",
      "The online experiment the output was served under; when absent, the experiment of the trace named by trace_id is used.",
      false
    ),
    id(
      "variant",
      "The experiment's variant that produced the output; when absent, taken from the trace named by trace_id.",
      false
    )
  ]
};

export const predictions: TableSpec = {
  name: "predictions",
  doc: "One classifier, guardrail or grader decision with its true label.",
  key: ["task", "model", "id"],
  timeField: "at",
  fields: [
    id("id", "Identifies the item within the task."),
    {name: "at", type: "timestamp", doc: "When the prediction was made."},
    id("task", "The classification task, e.g. ticket-routing or toxicity-guardrail."),
    {
      name: "kind",
      type: "string",
      required: true,
      values: ["binary", "multiclass", "judge"],
      doc: "binary: score is P(positive); multiclass: predicted class; judge: an LLM grader against a human label."
    },
    id("model", "Classifier, guardrail or judge model."),
    classLabel("label", "True label (the human label for judges)."),
    classLabel(
      "predicted",
      "Predicted label; for binary tasks derived from score at the threshold when absent.",
      false
    ),
    {
      name: "score",
      type: "number",
      min: 0,
      max: 1,
      doc: "Binary: probability of the positive class. Multiclass: confidence of the predicted class."
    },
    classLabel("positive_label", "Binary tasks: which label is positive.", false),
    id("segment", "Segment for slicing.", false)
  ]
};

export const flags: TableSpec = {
  name: "flags",
  doc: "An output flagged by trust & safety review.",
  key: ["flag_id"],
  timeField: "at",
  fields: [
    id("flag_id", "Identifies the flag."),
    {name: "at", type: "timestamp", required: true, doc: "When the output was flagged."},
    id("feature", "Feature that produced the output."),
    id("category", "Harm category, e.g. hallucination, pii-leak, unsafe-advice."),
    {
      name: "severity",
      type: "string",
      required: true,
      values: ["low", "medium", "high", "critical"],
      doc: "Reviewer's severity."
    },
    {
      name: "root_cause",
      type: "string",
      values: ["prompt", "capability", "policy", "unknown"],
      doc: "prompt failure, capability gap, or policy gap."
    },
    {name: "status", type: "string", values: ["open", "resolved"], doc: "Whether a decision closed the flag."},
    text("decision", "The decision taken, if any (redacted)."),
    id("model", "Model that produced the output.", false),
    id("trace_id", "Trace of the flagged request.", false),
    text("reviewer", "Who reviewed it (redacted: an email address becomes [email])."),
    text("excerpt", "The flagged output (redacted).")
  ]
};

/**
 * An assignment's unit key: one integer per (experiment, unit) that the page groups a unit's outcomes
 * by, stored on both tables so that it needs no join of outcomes to assignments (loaders/queries/
 * experiments.ts). A hash, so that the same rows get the same key in a cold build and an incremental
 * one (a rowid would not: deleted rows leave gaps, and a checkpoint moves rows). Both tables compute it
 * as their rows are read; the experiment check makes the assignments' keys distinct (renumbering the
 * units, and their outcomes, in the rare case two hashes collide) and writes the assignment time on
 * each outcome (loaders/warehouse/experiments.ts).
 */
export const unitKeySql = "hash(experiment, unit_id)";
const unitKey = (doc: string) => ({name: "unit_key", sqlType: "UBIGINT", doc}) as const;

export const assignments: TableSpec = {
  name: "assignments",
  doc:
    "One unit (usually a user) assigned to one variant of an online experiment. A unit found in two variants of one experiment, or in a variant " +
    "the experiment's definition in workbench.config.json does not name, is quarantined with all its rows.",
  // The variant is in the key so that an exact repeat is an ordinary duplicate, while the same unit
  // in two variants reaches the experiment check, which quarantines every row of that unit.
  key: ["experiment", "unit_id", "variant"],
  timeField: "assigned_at",
  fields: [
    id("experiment", "The experiment, as named in the config's `experiments`."),
    id("unit_id", "The randomization unit, usually a user id."),
    id("variant", "The variant the unit was assigned to; one of the experiment's configured variants."),
    {name: "assigned_at", type: "timestamp", required: true, doc: "When the unit was first assigned (exposed)."},
    id("segment", "Unit attribute used for segment effects, e.g. enterprise or smb.", false),
    id("plan", "Unit attribute: the unit's plan.", false),
    id("country", "Unit attribute: the unit's country.", false)
  ],
  derived: [{...unitKey("The unit's key, distinct per experiment and unit."), insertSql: unitKeySql}]
};

export const outcomes: TableSpec = {
  name: "outcomes",
  doc:
    "One measurement of one metric for one unit of an experiment; a unit's metric value is the sum of its rows (a binary metric: 1 if any row " +
    "is nonzero). The experiment is named on each row because a unit can be in several experiments whose windows differ. An outcome timestamped " +
    "before the unit's assignment is quarantined, unless its metric is the experiment's pre-period covariate; so is an outcome of a " +
    "unit with no assignment.",
  key: ["experiment", "unit_id", "metric", "at"],
  timeField: "at",
  fields: [
    id("experiment", "The experiment the outcome counts towards."),
    id("unit_id", "The unit, as in `assignments`."),
    id("metric", "Metric name, e.g. task_completed, or a ratio's numerator or denominator."),
    {name: "value", type: "number", required: true, doc: "The amount: 1 for an event, a duration, a sum of money…"},
    {name: "at", type: "timestamp", required: true, doc: "When it was measured."}
  ],
  derived: [
    {...unitKey("Its unit's key: its assignment's unit_key."), insertSql: unitKeySql},
    {name: "unit_assigned_at", sqlType: "TIMESTAMPTZ", doc: "Its unit's assigned_at."}
  ]
};

export const canonicalTables = [evalResults, spans, corrections, predictions, flags, assignments, outcomes] as const;
export type CanonicalTableName = (typeof canonicalTables)[number]["name"];

export function tableSpec(name: string): TableSpec {
  const spec = canonicalTables.find((t) => t.name === name);
  if (!spec)
    throw new Error(
      `unknown canonical table "${name}"; expected one of ${canonicalTables.map((t) => t.name).join(", ")}`
    );
  return spec;
}
