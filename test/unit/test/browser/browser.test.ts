import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {describe, expect, test} from "vitest";
import {chromiumArgs, playwrightDisabledFeatures} from "../../../browser/browser.js";

/** The features playwright-core's own launch switches off, read from its installed bundle. */
function installedPlaywrightDisabledFeatures(): string[] {
  const bundle = readFileSync(createRequire(import.meta.url).resolve("playwright-core/lib/coreBundle"), "utf8");
  const list = /\bdisabledFeatures = \[([^\]]*)\]/.exec(bundle);
  if (!list)
    throw new Error("playwright-core's bundle no longer has `disabledFeatures = [...]`: read its chromiumSwitches");
  return [...list[1].replace(/\/\/.*$/gm, "").matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

describe("chromiumArgs", () => {
  // Chromium keeps the last --disable-features only, and Playwright passes its own before ours.
  test("repeats every feature Playwright switches off, in its one --disable-features", () => {
    expect(playwrightDisabledFeatures).toEqual(installedPlaywrightDisabledFeatures());
    const switches = chromiumArgs.filter((arg) => arg.startsWith("--disable-features="));
    expect(switches).toHaveLength(1);
    expect(switches[0].slice("--disable-features=".length).split(",")).toEqual(
      expect.arrayContaining([...playwrightDisabledFeatures, "WebUIOmniboxPopup", "WebUIOmniboxAimPopup"])
    );
  });
});
