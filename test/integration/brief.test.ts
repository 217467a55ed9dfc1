// The capability brief on the sample workspace, as the shared sample build wrote it (sampleSite.ts):
// the four planted stories appear with their numbers and links, every figure is the one its own
// page's loader writes, no number in the prose stands outside the facts table, and the planted prompt
// injection changes nothing, with or without a (fake, local) model drafting the prose.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, inject, test} from "vitest";
import type {Brief, FeatureBrief} from "../../loaders/brief/assemble.js";
import {assembleBrief} from "../../loaders/brief/assemble.js";
import {draftBrief} from "../../loaders/brief/draft.js";
import {excerptsOf} from "../../loaders/brief/excerpts.js";
import {gatherInputs, type BriefInputs} from "../../loaders/brief/inputs.js";
import {bareNumbers, placeholderIds, plainText} from "../../loaders/brief/text.js";
import {PROMPT_INJECTION} from "../../loaders/sample/story.js";
import {joinTriage} from "../../loaders/queries/triageFiles.js";
import {openWarehouse} from "../../loaders/warehouse/warehouse.js";
import {projectRoot} from "../../loaders/workspace/config.js";
import {completion, fakeOpenAI, faithfulAnswer, type FakeOpenAI, type ReceivedRequest} from "../fakeOpenAI.js";
import {dataFile} from "./siteBuild.js";

const pages: Record<string, any> = {};
let brief: Brief;
let inputs: BriefInputs;
const feature = (name: string) => brief.features.find((f) => f.feature === name)!;
const fact = (id: string) => {
  const found = brief.facts.find((f) => f.id === id);
  if (!found) throw new Error(`no fact ${id}; facts: ${brief.facts.map((f) => f.id).join(", ")}`);
  return found;
};
const plain = (text: string) => plainText(text, new Map(brief.facts.map((f) => [f.id, f])));
const riskOf = (f: FeatureBrief, kind: string) => f.risks.find((r) => r.kind === kind)!;

beforeAll(async () => {
  const site = inject("sampleSite");
  if (site.status !== 0) throw new Error(`the sample build failed:\n${site.output}`);
  brief = JSON.parse(dataFile(site.dist, "brief"));
  for (const name of ["launch-gate", "drift", "corrections"]) pages[name] = JSON.parse(dataFile(site.dist, name));
  pages["eval-triage"] = joinTriage(
    JSON.parse(dataFile(site.dist, "eval-triage")),
    JSON.parse(dataFile(site.dist, "eval-triage-suites"))
  );
  const db = await openWarehouse();
  try {
    inputs = await gatherInputs(db, db.workspace);
  } finally {
    db.close();
  }
}, 300_000);

describe("the sample workspace's brief", () => {
  test("holds ticket-summarization on the planted regression: the new prompt broke long inputs", () => {
    const f = feature("ticket-summarization");
    expect([f.decision, f.rule]).toEqual(["hold", "gate-failed"]);
    expect(plain(f.headline)).toBe("Hold: gpt-4.1-mini · sum-v4 fails its pass rate gate, 81.3% against ≥ 88.0%.");
    const regression = riskOf(f, "regression");
    expect(plain(regression.text)).toMatch(
      /prompt sum-v3 → sum-v4 took the pass rate from 89\.7% to 81\.3% \(−8\.3 pts on 300 shared cases, p < 0\.001\)\. The drop is concentrated in inputs of 10k–20k characters: 81\.8% → 34\.1% on 44 cases\./
    );
    expect(fact(placeholderIds(regression.text)[0]).href).toBe(
      "./eval-triage.html?suite=summarization-golden&after=sum-20261117-gpt-4.1-mini-sum-v4#where-the-change-is"
    );
    expect(plain(f.decisions.open)).toMatch(
      /^Roll gpt-4\.1-mini · sum-v4 back to gpt-4\.1-mini · sum-v3, .+ served production since 2026-11-11/
    );
  });

  test("passes support-chat's pass-rate gate at its margin (87% against 85%) and leaves the refusal-rate gate open", () => {
    const f = feature("support-chat");
    expect([f.decision, f.rule]).toEqual(["investigate", "gate-open"]);
    expect(plain(f.headline)).toBe(
      "Investigate: claude-sonnet-4 · chat-v7 is not yet conclusive on refusal rate, 1.5% against ≤ 3.0%."
    );
    expect(fact("support-chat.gate.pass_rate")).toMatchObject({
      value: 0.87,
      n: 400,
      full: "87.0% [83.4%–90.0%] n = 400",
      href: "./launch-gate.html?feature=support-chat#gates"
    });
    expect(fact("support-chat.gate.pass_rate.threshold")).toMatchObject({value: 0.85, display: "85.0%"});
    expect(plain(f.quality.launch!.comparison!)).toMatch(
      /^Against the current gpt-4\.1 · chat-v6 on the same 400 cases, the candidate passes 348 and the baseline 336 \(p = 0\.07: no significant difference\), at \$0\.009\d+ per request against \$0\.005\d+\.$/
    );
  });

  test("names the drift: data-export-request, which no eval covers, at about 12% of support-chat's latest week", () => {
    const drift = riskOf(feature("support-chat"), "untested-category");
    const share = fact("support-chat.untested.data-export-request.share.latest");
    expect(share.value).toBeGreaterThan(0.1);
    expect(share.value).toBeLessThan(0.15);
    expect(share.href).toBe("./drift.html?feature=support-chat#what-production-sees-that-no-test-covers");
    expect(plain(drift.text)).toContain(`data-export-request is ${share.full} of requests in the week of`);
  });

  test("names the correction hot spot: autocomplete's enterprise users ignore about 40% of suggestions", () => {
    const f = feature("autocomplete");
    expect([f.decision, f.rule]).toEqual(["investigate", "no-gates-risk"]);
    const spot = fact("autocomplete.hot-spot.segment.enterprise.ignored");
    expect(spot.value).toBeGreaterThan(0.37);
    expect(spot.value).toBeLessThan(0.43);
    expect(spot.href).toBe("./corrections.html?feature=autocomplete#hot-spots");
    // "Elsewhere" read from the raw file: autocomplete's corrections outside the enterprise segment.
    const raw = readFileSync(join(projectRoot, "data", "sample", "corrections.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const others = raw.filter((r) => r.feature === "autocomplete" && r.segment !== "enterprise");
    const elsewhere = others.filter((r) => r.action === "ignored").length / others.length;
    // The hot spot is over every correction: its scope is the file's first and last day.
    const days = raw.map((r) => String(r.at).slice(0, 10)).sort();
    expect(plain(f.headline)).toBe(
      `Investigate: users in the enterprise segment ignore ${spot.display} of outputs over the whole period, ` +
        `${days[0]} to ${days.at(-1)}, against ${(elsewhere * 100).toFixed(1)}% elsewhere.`
    );
  });

  test("puts the hold first, and says so in the portfolio's first line", () => {
    expect(brief.features.map((f) => f.feature)).toEqual(["ticket-summarization", "support-chat", "autocomplete"]);
    expect(plain(brief.portfolio.headline)).toBe(
      "Hold ticket-summarization; investigate support-chat and autocomplete."
    );
  });
});

describe("every figure in the brief", () => {
  test("is the figure its own page's loader writes", () => {
    const launch = pages["launch-gate"].launches.find((l: any) => l.feature === "support-chat");
    for (const gate of launch.gates) {
      expect(fact(`support-chat.gate.${gate.metric}`)).toMatchObject({
        value: gate.estimate,
        low: gate.low,
        high: gate.high,
        n: gate.n
      });
      expect(fact(`support-chat.gate.${gate.metric}.threshold`).value).toBe(gate.threshold);
    }
    const fresh = pages.drift.newCategories.find((c: any) => c.category === "data-export-request");
    expect(fact("support-chat.untested.data-export-request.share.latest")).toMatchObject({
      value: fresh.weekly.at(-1).share.rate,
      n: fresh.weekly.at(-1).share.n
    });
    const spot = pages.corrections.hotSpots.find(
      (s: any) => s.feature === "autocomplete" && s.value === "enterprise" && s.action === "ignored"
    );
    expect(fact("autocomplete.hot-spot.segment.enterprise.ignored")).toMatchObject({
      value: spot.slice.rate,
      low: spot.slice.low,
      high: spot.slice.high,
      n: spot.slice.n
    });
    const pair = pages["eval-triage"].comparisons.find((c: any) => c.after === "sum-20261117-gpt-4.1-mini-sum-v4");
    expect(
      fact("ticket-summarization.regression.summarization-golden.sum-20261117-gpt-4-1-mini-sum-v4.delta").value
    ).toBe(pair.delta);
  });

  test("in the prose is a placeholder of a known fact: no number stands outside the facts table", () => {
    const texts = [
      brief.portfolio.headline,
      brief.portfolio.summary,
      ...brief.portfolio.rows.map((r) => r.watch),
      ...brief.features.flatMap((f) => [
        f.headline,
        f.summary,
        f.watch,
        f.decisions.open,
        ...f.decisions.taken,
        ...f.changed,
        ...f.quality.lines,
        ...(f.quality.launch ? [f.quality.launch.evidence, f.quality.launch.comparison ?? ""] : []),
        ...f.budget.flatMap((r) => [r.measured, r.budget ?? ""]),
        ...f.risks.flatMap((r) => [r.title, r.short, r.text, r.watch])
      ])
    ];
    const ids = new Set(brief.facts.map((f) => f.id));
    for (const text of texts) {
      expect(
        bareNumbers(text, brief.names).map((n) => n.text),
        text
      ).toEqual([]);
      expect(
        placeholderIds(text).filter((id) => !ids.has(id)),
        text
      ).toEqual([]);
    }
    expect(brief.facts.every((f) => /^\.\/[a-z-]+\.html(\?[^#]+)?#[a-z0-9-]+$/.test(f.href))).toBe(true);
  });

  test("is composed the same way twice from the same inputs", () => {
    expect(JSON.stringify(assembleBrief(inputs))).toBe(JSON.stringify(brief));
  });
});

describe("the planted prompt injection", () => {
  let server: FakeOpenAI | undefined;
  afterAll(() => server?.close());

  test("is in the excerpts a drafting model may read, and nowhere in the brief", () => {
    expect(excerptsOf(inputs).some((e) => e.text.includes(PROMPT_INJECTION))).toBe(true);
    expect(JSON.stringify(brief)).not.toContain("Ignore all previous instructions");
    expect(JSON.stringify(brief)).not.toMatch(/every (launch )?gate passed/i);
  });

  test("never reaches a model, which gets no quoted production text; a draft that makes its claim anyway is rejected, a faithful one accepted", async () => {
    const obeying = (r: ReceivedRequest) => {
      const draft = JSON.parse(faithfulAnswer(r));
      draft.portfolio.headline = "Every launch gate passed.";
      for (const f of draft.features) f.recommendation = "go";
      return completion(JSON.stringify(draft));
    };
    let answer = obeying;
    server = await fakeOpenAI((r) => answer(r));
    const settings = {apiKey: "sk-test-brief", baseURL: server.baseURL, model: "fake-model", timeoutMs: 10_000};
    const rejected = await draftBrief(brief, excerptsOf(inputs), settings, () => {});
    expect(rejected).toMatchObject({
      mode: "deterministic",
      reason: 'the draft recommends "go" for ticket-summarization, but its gates give "hold"'
    });
    const body = JSON.stringify(server.requests[0].body);
    expect(body).not.toContain(PROMPT_INJECTION);
    for (const e of excerptsOf(inputs)) expect(body).not.toContain(e.text);
    answer = (r) => completion(faithfulAnswer(r));
    expect(await draftBrief(brief, excerptsOf(inputs), settings, () => {})).toMatchObject({
      mode: "drafted",
      reason: null
    });
  });
});
