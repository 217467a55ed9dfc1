// Row shapes of the canonical tables (loaders/schema/tables.ts) as the generator emits them.
export interface EvalResultRow {
  run_id: string;
  case_id: string;
  suite: string;
  started_at: string;
  feature: string;
  model: string;
  provider: string;
  prompt_version: string;
  dataset_version: string;
  category: string;
  tags?: string;
  input_chars: number;
  input_excerpt?: string;
  expected_excerpt?: string;
  grader: "programmatic" | "model" | "human";
  score?: number;
  passed: boolean;
  latency_ms?: number;
  input_tokens?: number;
  output_tokens?: number;
  cost_usd?: number;
  refused: boolean;
  error?: string;
  output_excerpt?: string;
}

export interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id?: string;
  name: string;
  kind: "llm" | "tool" | "retrieval" | "chain";
  start_time: string;
  duration_ms: number;
  feature?: string;
  segment?: string;
  category?: string;
  model?: string;
  provider?: string;
  prompt_version?: string;
  input_chars?: number;
  input_tokens?: number;
  output_tokens?: number;
  cost_usd?: number;
  status: "ok" | "error";
  finish_reason?: string;
  error_message?: string;
  output_excerpt?: string;
  experiment?: string;
  variant?: string;
}

export type CorrectionAction = "accepted" | "edited" | "rejected" | "ignored" | "escalated";

export interface CorrectionRow {
  event_id: string;
  at: string;
  feature: string;
  model: string;
  prompt_version: string;
  trace_id?: string;
  segment: string;
  category: string;
  action: CorrectionAction;
  original_text: string;
  edited_text?: string;
  edit_distance?: number;
  rating?: number;
  reason?: string;
  experiment?: string;
  variant?: string;
}

export interface PredictionRow {
  id: string;
  at: string;
  task: string;
  kind: "binary" | "multiclass" | "judge";
  model: string;
  label: string;
  predicted?: string;
  score?: number;
  positive_label?: string;
  segment?: string;
}

export interface FlagRow {
  flag_id: string;
  at: string;
  feature: string;
  category: string;
  severity: "low" | "medium" | "high" | "critical";
  root_cause: "prompt" | "capability" | "policy" | "unknown";
  status: "open" | "resolved";
  decision?: string;
  model: string;
  reviewer: string;
  excerpt: string;
}
