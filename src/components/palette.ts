// The one palette of the site: a colour means one thing on every page. Verdicts and tones are
// Okabe–Ito's blue (good, pass) and vermillion (bad, fail) with orange for "look" (warn), which
// readers with red–green colour blindness tell apart; severity is one orange ramp, darker is worse, so
// it reads by lightness alone. src/style.css repeats these values as CSS variables (--wb-*), and a
// unit test holds the two equal. Categorical series (models, categories) keep Plot's default scheme.
export const TONE = {
  good: "#0072b2",
  warn: "#e69f00",
  bad: "#d55e00",
  /** Not significant, no data, or context: neither good nor bad. */
  neutral: "#9aa0a6"
} as const;
export type Tone = keyof typeof TONE;

/** Reviewer severity, the same on the safety page, home and the brief. */
export const SEVERITY = {critical: "#7f2704", high: "#d94801", medium: "#fd8d3c", low: "#fdd0a2"} as const;

/** Root causes of a flag: categorical, none of them the tone colours. */
export const ROOT_CAUSE = {prompt: "#56b4e9", capability: "#cc79a7", policy: "#009e73", unknown: "#bab0ac"} as const;

/** A signed change (worse … none … better): vermillion through grey-white to blue, never red–green. */
export const DIVERGING = [TONE.bad, "#f7f7f7", TONE.good] as const;

/** Sequential fill for shares and counts (a confusion matrix's cells): white to dark blue. */
export const SEQUENTIAL = ["#f4f6fb", "#1f4e99"] as const;

/** Marks a model or prompt version's first day in production on any timeline. */
export const VERSION_CHANGE = "#6a3d9a";

/** The table-text class of a severity: high and critical read as bad. */
export const severityClass = (severity: string) => (severity === "critical" || severity === "high" ? "bad-text" : "");
