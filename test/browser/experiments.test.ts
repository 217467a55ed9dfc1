// The online-experiments page in Chromium, on the built site (by default the sample workspace; that it
// renders cleanly is pages.test.ts's, for every page): each planted story shows its verdict and the reason for it; the home page
// carries each experiment's line. Run after npm run build: npm run test:browser.
import {describe, expect, test} from "vitest";
import {builtSite, serveSite} from "./site.js";

const {dist, screenshotDir} = builtSite("experiments.html");
const site = serveSite(dist);

const stories: [string, string, RegExp][] = [
  ["smart-reply", "DON'T SHIP", /task_completed improves overall .* but retained_7d falls for segment = enterprise/],
  ["auto-triage", "INVALID", /Sample-ratio mismatch/],
  [
    "answer-length",
    "DON'T SHIP",
    /No effect on resolved_without_agent .*looked significant on day \d.*peeking then would have shipped it/
  ],
  [
    "draft-tone",
    "KEEP RUNNING",
    /No conclusive effect on draft_sent yet.*more days at current traffic.*Model guardrail breached .*p95 latency.*correction rate/
  ]
];

describe("/experiments", () => {
  test("each planted story shows its verdict and its reason, in the list and in its section; the rules are printed", async () => {
    const page = await site.open("/experiments", "#experiment-list");
    try {
      for (const [name, verdict, reason] of stories) {
        const row = page.locator(`#experiment-list tr[data-experiment="${name}"]`);
        expect(await row.locator(".experiment-verdict").innerText()).toBe(verdict);
        expect(await row.locator(".experiment-reason").innerText()).toMatch(reason);
        expect(await page.locator(`.experiment-verdict-reason[data-experiment="${name}"]`).innerText()).toMatch(reason);
      }
      expect(await page.locator("#verdict-rules li").count()).toBeGreaterThanOrEqual(5);
      expect(await page.locator("main").innerText()).toMatch(/mixture SPRT/);
      // The SRM story's readout is blocked: the alert shows and no metric table follows for it.
      expect(await page.locator(".srm-blocked").count()).toBe(1);
      expect(
        await page.locator("tr.segment-harm[data-segment='segment=enterprise'][data-metric='retained_7d']").count()
      ).toBe(1);
      expect(await page.locator(".segment-warning").first().innerText()).toMatch(/Exploratory/);
      expect(await page.locator(".experiment-power").first().innerText()).toMatch(/minimum detectable effect/);
    } finally {
      await page.context().close();
    }
  });

  test("draft-tone shows its model guardrails per arm from the traces and corrections, the rule, and the breaches that block ship", async () => {
    const page = await site.open("/experiments", "#experiment-list");
    try {
      const table = page.locator(".experiment-model-guardrails");
      expect(await table.count()).toBe(1);
      const breached = await table
        .locator("tr.model-guardrail-breached")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-guardrail")));
      expect(breached).toEqual(expect.arrayContaining(["p95 latency", "correction rate"]));
      expect(await table.locator("tr[data-guardrail='ignore rate'] td").last().innerText()).toBe("none");
      expect(await table.locator("tr[data-guardrail='p95 latency'] td").nth(2).innerText()).toMatch(
        /s\n?\[.*\] · n = \d+/
      );
      expect(await page.locator(".model-guardrails").innerText()).toMatch(
        /breached when the treatment is worse and the 95% interval of the difference excludes zero/
      );
      expect(await page.locator(".model-guardrail-summary").innerText()).toMatch(/verdict cannot be ship/);
      // The experiments no trace names say how to add the attributes.
      expect(await page.locator(".model-guardrails-none").first().innerText()).toMatch(/experiment\.variant/);
      await page.locator(".experiment-model-guardrails").scrollIntoViewIfNeeded();
      await page.screenshot({path: `${screenshotDir}/experiments-model-guardrails-1280.png`});
    } finally {
      await page.context().close();
    }
  });

  test("does not scroll sideways on a 390 px phone: wide tables scroll inside their own box", async () => {
    const page = await site.open("/experiments", "#experiment-list", {width: 390, height: 844});
    try {
      await page.screenshot({path: `${screenshotDir}/experiments-390.png`, fullPage: true});
      const widths = await page.evaluate(() => {
        const wide = [...document.querySelectorAll("#observablehq-main *")]
          .filter(
            (el) =>
              el.getBoundingClientRect().right > document.documentElement.clientWidth + 1 &&
              !el.closest(".experiment-scroll")
          )
          .slice(0, 5)
          .map(
            (el) =>
              `${el.tagName.toLowerCase()}.${el.getAttribute("class") ?? ""} right ${Math.round(el.getBoundingClientRect().right)}`
          );
        return {
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
          wide
        };
      });
      expect(widths.wide).toEqual([]);
      expect(widths.scrollWidth).toBeLessThanOrEqual(widths.clientWidth);
    } finally {
      await page.context().close();
    }
  });

  test("the home page has each experiment's line with its verdict, the reason for it and a link to its readout", async () => {
    const page = await site.open("/", "#experiment-lines");
    try {
      expect(await page.locator("#experiment-lines li").count()).toBe(stories.length);
      for (const [name, verdict, reason] of stories) {
        const line = page.locator(`#experiment-lines li[data-experiment="${name}"]`);
        expect(await line.locator(".experiment-verdict").innerText()).toBe(verdict);
        expect(await line.innerText()).toMatch(reason);
        expect(await line.locator("a").getAttribute("href")).toBe(`./experiments.html#experiment-${name}`);
      }
      // The link lands on the experiment's section of the readout.
      await page.locator(`#experiment-lines li[data-experiment="auto-triage"] a`).click();
      await page.waitForURL(/experiments(\.html)?#experiment-auto-triage$/);
      // The readout's sections are rendered by the page's script, after the page loads.
      await page.locator("#experiment-auto-triage").waitFor();
      expect(await page.locator("#experiment-auto-triage").innerText()).toMatch(/^auto-triage INVALID/);
    } finally {
      await page.context().close();
    }
  });
});

describe("/brief", () => {
  test("the portfolio sheet carries the experiments' line, each verdict linked to its readout", async () => {
    const page = await site.open("/brief.html", "#brief-experiments");
    try {
      expect(await page.locator("#portfolio #brief-experiments [data-experiment]").count()).toBe(stories.length);
      for (const [name, verdict] of stories) {
        const item = page.locator(`#portfolio #brief-experiments [data-experiment="${name}"]`);
        expect(await item.locator(".experiment-verdict").innerText()).toBe(verdict);
        expect(await item.locator("a").getAttribute("href")).toBe(`./experiments.html#experiment-${name}`);
      }
    } finally {
      await page.context().close();
    }
  });
});
