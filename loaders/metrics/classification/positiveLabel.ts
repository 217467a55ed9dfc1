// Which label is "positive" in a binary task, and which verdict is "fail" for a judge. The config
// decides when it says; otherwise common spellings do; otherwise nothing is guessed.
const positiveWords = /^(1(\.0*)?|true|t|yes|y|pass|passed|positive|pos)$/i;
const negativeWords = /^(0(\.0*)?|false|f|no|n|fail|failed|negative|neg)$/i;
const counterpart: Record<string, string> = {
  "0": "1",
  false: "true",
  f: "t",
  no: "yes",
  n: "y",
  fail: "pass",
  failed: "passed",
  negative: "positive",
  neg: "pos"
};

export interface ResolvedLabel {
  label: string;
  /** config: classifiers[].positive_label; data: the rows' own positive_label column; inferred: from the spelling. */
  source: "config" | "data" | "inferred";
}

/**
 * The positive label of a binary task: config, then the rows' positive_label (most common), then a
 * label spelled 1/true/yes/pass/positive, then the counterpart of a label spelled 0/false/no/fail when
 * it is the only one (all-negative data). Null when it cannot be told.
 */
export function resolvePositiveLabel(
  labels: readonly string[],
  {configured, fromRows}: {configured?: string | null; fromRows?: string | null} = {}
): ResolvedLabel | null {
  if (configured) return {label: configured, source: "config"};
  if (fromRows) return {label: fromRows, source: "data"};
  const positives = labels.filter((l) => positiveWords.test(l.trim()));
  if (positives.length === 1) return {label: positives[0], source: "inferred"};
  const negatives = labels.filter((l) => negativeWords.test(l.trim()));
  if (positives.length === 0 && labels.length === 1 && negatives.length === 1) {
    const word = negatives[0].trim();
    const other = /^0(\.0*)?$/.test(word) ? word.replace("0", "1") : counterpart[word.toLowerCase()];
    if (other) return {label: matchCase(word, other), source: "inferred"};
  }
  return null;
}

function matchCase(model: string, word: string): string {
  if (model === model.toUpperCase()) return word.toUpperCase();
  if (model[0] === model[0].toUpperCase()) return word[0].toUpperCase() + word.slice(1);
  return word;
}

const failWords =
  /^(fail|failed|no|n|false|f|0(\.0*)?|bad|incorrect|wrong|unsafe|harmful|toxic|reject|rejected|unacceptable)$/i;
const passWords = /^(pass|passed|yes|y|true|t|1(\.0*)?|good|correct|right|safe|acceptable|accept|accepted|ok)$/i;

export interface JudgeVerdicts {
  /** The verdict a judge must catch; a judge that withholds it where people gave it is lenient. */
  fail: string;
  pass: string;
  source: "config" | "inferred";
}

/**
 * The fail and pass verdicts of a two-verdict judge task: classifiers[].positive_label names the fail
 * verdict when set; otherwise a fail-like spelling (fail/no/false/0/bad/unsafe/harmful…) does.
 * Null for more than two verdicts or when neither spelling is recognized.
 */
export function resolveJudgeVerdicts(labels: readonly string[], configured?: string | null): JudgeVerdicts | null {
  if (labels.length > 2) return null;
  if (configured) {
    const others = labels.filter((l) => l !== configured);
    if (others.length > 1) return null;
    return {fail: configured, pass: others[0] ?? `not ${configured}`, source: "config"};
  }
  const fails = labels.filter((l) => failWords.test(l.trim()));
  const passes = labels.filter((l) => passWords.test(l.trim()));
  if (labels.length === 2 && fails.length === 1)
    return {fail: fails[0], pass: labels.find((l) => l !== fails[0])!, source: "inferred"};
  if (labels.length === 2 && passes.length === 1)
    return {pass: passes[0], fail: labels.find((l) => l !== passes[0])!, source: "inferred"};
  return null;
}
