// What every section of one feature's brief reads: the feature, its facts table, the inputs and the
// review period; and the small lookups several sections share.
import type {Deployment} from "../../src/lib/driftQuality.js";
import type {FactTable} from "./facts.js";
import type {BriefInputs, Period} from "./inputs.js";

export interface FeatureContext {
  feature: string;
  /** The feature as it appears in fact ids. */
  key: string;
  inputs: BriefInputs;
  period: Period;
  t: FactTable;
}

export type Launch = BriefInputs["launches"][number];
export type Gate = Launch["gates"][number];
export type EvalRun = BriefInputs["triage"]["runs"][number];

export const system = (s: {model: string; prompt_version?: string | null; option?: string | null}) =>
  s.option ?? `${s.model}${s.prompt_version ? ` · ${s.prompt_version}` : ""}`;

export const launchOf = (c: FeatureContext): Launch | null =>
  c.inputs.launches.find((l) => l.feature === c.feature) ?? null;

/** The feature's eval suites, the one with the newest run first. */
export function suitesOf(c: FeatureContext): string[] {
  return c.inputs.triage.suites
    .filter((s) => s.feature === c.feature)
    .sort((a, b) => (b.latest_at < a.latest_at ? -1 : b.latest_at > a.latest_at ? 1 : 0))
    .map((s) => s.suite);
}

export const deploymentsOf = (c: FeatureContext) => c.inputs.drift.deployments.filter((d) => d.feature === c.feature);

/** When a system of the feature first served production, if it has. */
export function deploymentOf(c: FeatureContext, s: {model: string; prompt_version?: string | null}): Deployment | null {
  return (
    deploymentsOf(c).find((d) => d.model === s.model && (d.prompt_version ?? null) === (s.prompt_version ?? null)) ??
    null
  );
}

/** "a, b and c" */
export const list = (items: readonly string[]) =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
