// The whole brief from the other pages' query outputs: one section per feature (every feature with a
// launch, an eval suite, traces or corrections), most pressing first, and the portfolio on top. Pure:
// the same inputs give the same brief, byte for byte.
import {budgetSection, type BudgetRow} from "./budget.js";
import {changesSection} from "./changes.js";
import {composeFeature, portfolioHeadline, portfolioSummary, type PortfolioEntry} from "./compose.js";
import {launchOf, type FeatureContext} from "./context.js";
import {decisionsTaken, metricToWatch, openDecision} from "./decisions.js";
import {FactTable, slug, type Fact} from "./facts.js";
import {fmtDate} from "./format.js";
import {REVIEW_DAYS, reviewPeriod, type BriefInputs, type Period} from "./inputs.js";
import {qualitySection, type QualitySection} from "./quality.js";
import {decisionRank, recommend, RULES, type Decision, type Rule} from "./recommend.js";
import {latestCategoryShift, risksOf, type Risk} from "./risks.js";
import {ALL} from "../../src/lib/all.js";

export interface FeatureBrief {
  feature: string;
  /** Id of the feature's section on the brief page. */
  anchor: string;
  decision: Decision | null;
  rule: Rule;
  headline: string;
  summary: string;
  changed: string[];
  quality: Pick<QualitySection, "launch" | "lines">;
  budget: BudgetRow[];
  risks: Risk[];
  decisions: {taken: string[]; open: string};
  watch: string;
}

export interface Brief {
  product: string;
  period: Period;
  reviewDays: number;
  rules: {id: Rule; text: string}[];
  portfolio: {
    headline: string;
    summary: string;
    rows: {feature: string; anchor: string; decision: Decision | null; headline: string; watch: string}[];
  };
  features: FeatureBrief[];
  facts: Fact[];
  /** Names (models, prompt versions, dates…) the prose may contain; their digits are not numbers. */
  names: string[];
}

export function featuresOf(inputs: BriefInputs): string[] {
  const names = [
    ...inputs.launches.map((l) => l.feature),
    ...inputs.triage.suites.map((s) => s.feature),
    ...inputs.drift.features
  ];
  return [...new Set(names)].filter((f) => f && f !== "(none)" && f !== ALL).sort();
}

function featureBrief(c: FeatureContext): FeatureBrief {
  const quality = qualitySection(c);
  const changed = changesSection(c);
  const budget = budgetSection(c);
  const risks = risksOf(c, budget.overruns);
  const launch = launchOf(c);
  const coverageGap = risks.some((r) => r.kind === "untested-category") || latestCategoryShift(c) !== null;
  const recommendation = recommend({launch: launch?.verdict ?? null, coverageGap, risks: risks.length});
  const prose = composeFeature({feature: c.feature, recommendation, quality, risks});
  return {
    feature: c.feature,
    anchor: `feature-${c.key}`,
    decision: recommendation.decision,
    rule: recommendation.rule,
    ...prose,
    changed,
    quality: {launch: quality.launch, lines: quality.lines},
    budget: budget.rows,
    risks,
    decisions: {taken: decisionsTaken(c), open: openDecision(c, recommendation, quality, risks)},
    watch: metricToWatch(c, recommendation, quality, risks)
  };
}

export function assembleBrief(inputs: BriefInputs, reviewDays = REVIEW_DAYS): Brief {
  const t = new FactTable();
  const period = reviewPeriod(inputs.tables, reviewDays);
  for (const at of [period.dataFrom, period.dataTo, period.from]) if (at) t.name(fmtDate(at));
  // Percentile names are words, not figures.
  for (const word of ["p50", "p95", "p99"]) t.name(word);
  const keys = new Set<string>();
  const features = featuresOf(inputs).map((feature) => {
    let key = slug(feature);
    for (let i = 2; keys.has(key); i++) key = `${slug(feature)}-${i}`;
    keys.add(key);
    t.name(feature);
    return featureBrief({feature, key, inputs, period, t});
  });
  const ruleOrder = Object.keys(RULES);
  features.sort(
    (a, b) =>
      decisionRank(a.decision) - decisionRank(b.decision) ||
      ruleOrder.indexOf(a.rule) - ruleOrder.indexOf(b.rule) ||
      (a.feature < b.feature ? -1 : 1)
  );
  const entries: PortfolioEntry[] = features.map((f) => ({
    feature: f.feature,
    decision: f.decision,
    open: f.decisions.open,
    risks: f.risks
  }));
  return {
    product: inputs.product,
    period,
    reviewDays,
    rules: Object.entries(RULES).map(([id, text]) => ({id: id as Rule, text})),
    portfolio: {
      headline: portfolioHeadline(entries),
      summary: portfolioSummary(entries),
      rows: features.map((f) => ({
        feature: f.feature,
        anchor: f.anchor,
        decision: f.decision,
        headline: f.headline,
        watch: f.watch
      }))
    },
    features,
    facts: t.facts,
    names: [...t.names].sort()
  };
}
