// A model's draft is used only if it says what the facts say: it parses and matches the schema, covers
// exactly the brief's features with the recommendations the gates give, cites only known facts, states
// no number that no fact shows, claims no gate passed that did not, and repeats no quoted production
// text (which is where an injected instruction would come from). Otherwise the reason is returned and
// the brief keeps the text composed from the facts.
import type {Brief} from "./assemble.js";
import {draftSchema} from "./draftSchema.js";
import type {Fact} from "./facts.js";
import {formatIssuePath} from "../workspace/config.js";
import {linkBareNumbers, placeholderIds} from "./text.js";

export interface DraftText {
  portfolio: {headline: string; summary: string};
  features: Record<string, {headline: string; summary: string}>;
}

export type DraftCheck = {ok: true; draft: DraftText} | {ok: false; reason: string};

const ALL_GATES_PASS =
  /\b(all|every|each)\b[^.;:!?]{0,40}\bgates?\b[^.;:!?]{0,40}\b(pass(?:ed|es)?|clear(?:ed|s)?|met|green)\b/i;
const READY =
  /\b(ready|cleared|approved|safe)\s+(?:to|for)\s+(?:a\s+)?(launch|ship|rollout|roll out|go live|general availability)\b/i;
const GO_WORD = /(?<![-\w])GO(?![-\w])/;
const NAMED_DECISION =
  /\b(?:recommend(?:ation|s|ed)?|verdict|decision|call)\b[^.;!?]{0,30}?\b(go|hold|investigate)\b/gi;
/** Words in a row that count as repeating a quoted text rather than describing it. */
const QUOTE_WORDS = 6;

const words = (s: string) => s.toLowerCase().match(/[a-z0-9']+/g) ?? [];

function repeatsExcerpt(text: string, excerpts: readonly string[]): string | null {
  const said = ` ${words(text).join(" ")} `;
  for (const excerpt of excerpts) {
    const w = words(excerpt);
    for (let i = 0; i + QUOTE_WORDS <= w.length; i++) {
      const run = w.slice(i, i + QUOTE_WORDS).join(" ");
      if (said.includes(` ${run} `)) return run;
    }
  }
  return null;
}

interface Scope {
  where: string;
  feature: string | null;
  /** The decision the text must agree with; for the portfolio, the decisions of all features. */
  decisions: ReadonlySet<string>;
  allGatesPass: boolean;
}

function checkText(
  text: string,
  scope: Scope,
  brief: Brief,
  facts: ReadonlyMap<string, Fact>,
  excerpts: readonly string[]
): {text: string} | {reason: string} {
  const unknown = placeholderIds(text).filter((id) => !facts.has(id));
  if (unknown.length)
    return {
      reason: `${scope.where} cites ${unknown.map((id) => `{{${id}}}`).join(", ")}, which is not in the facts table`
    };
  const linked = linkBareNumbers(text, brief.facts, brief.names, scope.feature);
  if (linked.unmatched.length)
    return {reason: `${scope.where} states ${linked.unmatched.join(", ")}, which matches no fact`};
  if (!scope.allGatesPass && ALL_GATES_PASS.test(text))
    return {reason: `${scope.where} claims every gate passed, which the gate verdicts contradict`};
  if (!scope.decisions.has("go") && (READY.test(text) || GO_WORD.test(text)))
    return {reason: `${scope.where} calls for a launch, which the gates do not support`};
  for (const m of text.matchAll(NAMED_DECISION)) {
    if (!scope.decisions.has(m[1].toLowerCase()))
      return {
        reason: `${scope.where} names "${m[1]}" as the recommendation, but the gates give ${[...scope.decisions].join(" or ") || "no decision"}`
      };
  }
  const quoted = repeatsExcerpt(text, excerpts);
  // The reason reaches the page, so it says which text was repeated without repeating it.
  if (quoted)
    return {
      reason: `${scope.where} repeats ${QUOTE_WORDS} or more words in a row of production text (a correction or a flagged output), which is data, not brief material`
    };
  return {text: linked.text};
}

export function checkDraft(raw: string, brief: Brief, excerpts: readonly string[]): DraftCheck {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return {ok: false, reason: `the response is not JSON (${(error as Error).message})`};
  }
  const parsed = draftSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `the response does not match the schema: ${formatIssuePath(issue.path) || "(root)"}: ${issue.message}`
    };
  }
  const draft = parsed.data;
  const expected = brief.features.map((f) => f.feature).sort();
  const got = draft.features.map((f) => f.feature).sort();
  // Names the model invented are not repeated: the reason reaches the page.
  if (expected.join("\u0000") !== got.join("\u0000")) {
    const missing = expected.filter((f) => !got.includes(f));
    const extra = got.filter((f) => !expected.includes(f)).length;
    return {
      ok: false,
      reason:
        `the draft's features differ from the brief's ` +
        `(${[missing.length ? `missing ${missing.join(", ")}` : "", extra ? `${extra} not in the brief` : "", !missing.length && !extra ? "repeated" : ""].filter(Boolean).join("; ")})`
    };
  }
  const facts = new Map(brief.facts.map((f) => [f.id, f]));
  const out: DraftText = {portfolio: {headline: "", summary: ""}, features: {}};
  for (const f of draft.features) {
    const mine = brief.features.find((b) => b.feature === f.feature)!;
    const decision = mine.decision ?? "none";
    if (f.recommendation !== decision)
      return {
        ok: false,
        reason: `the draft recommends "${f.recommendation}" for ${f.feature}, but its gates give "${decision}"`
      };
    const scope: Scope = {
      where: `${f.feature}'s text`,
      feature: f.feature,
      decisions: new Set(mine.decision ? [mine.decision] : []),
      allGatesPass: mine.quality.launch?.verdict === "go"
    };
    const headline = checkText(f.headline, {...scope, where: `${f.feature}'s headline`}, brief, facts, excerpts);
    if ("reason" in headline) return {ok: false, reason: headline.reason};
    const summary = checkText(f.summary, {...scope, where: `${f.feature}'s summary`}, brief, facts, excerpts);
    if ("reason" in summary) return {ok: false, reason: summary.reason};
    out.features[f.feature] = {headline: headline.text, summary: summary.text};
  }
  const launches = brief.features.filter((f) => f.quality.launch);
  const portfolio: Scope = {
    where: "the portfolio text",
    feature: null,
    decisions: new Set(brief.features.map((f) => f.decision).filter((d): d is NonNullable<typeof d> => d !== null)),
    allGatesPass: launches.length > 0 && launches.every((f) => f.quality.launch!.verdict === "go")
  };
  for (const key of ["headline", "summary"] as const) {
    const checked = checkText(
      draft.portfolio[key],
      {...portfolio, where: `the portfolio ${key}`},
      brief,
      facts,
      excerpts
    );
    if ("reason" in checked) return {ok: false, reason: checked.reason};
    out.portfolio[key] = checked.text;
  }
  return {ok: true, draft: out};
}
