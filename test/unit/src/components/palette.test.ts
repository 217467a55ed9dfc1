// One colour meaning per concept: verdicts, tones and severity come from src/components/palette.ts,
// never from a red or green written into a component, a page or a stylesheet (red–green is what
// colour-blind readers cannot tell apart).
import {readdirSync, readFileSync} from "node:fs";
import {join, relative} from "node:path";
import {describe, expect, test} from "vitest";
import {DIVERGING, SEVERITY, TONE} from "../../../../src/components/palette.js";

const root = join(import.meta.dirname, "../../../..");
const src = join(root, "src");

/** Hue in degrees and saturation (HSL) of a #rgb or #rrggbb colour. */
export function hueOf(hex: string): {hue: number; saturation: number} {
  const h = hex.length === 4 ? [...hex.slice(1)].map((c) => c + c).join("") : hex.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);
  const [max, min] = [Math.max(r, g, b), Math.min(r, g, b)];
  const d = max - min;
  const l = (max + min) / 2;
  const saturation = d === 0 ? 0 : d / (1 - Math.abs(2 * l - 1));
  if (d === 0) return {hue: 0, saturation};
  const hue = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return {hue: (hue * 60 + 360) % 360, saturation};
}

/** A red (hue within 15° of 0) or a green (hue 75°–165°), saturated enough to read as one. */
export const isRedOrGreen = (hex: string) => {
  const {hue, saturation} = hueOf(hex);
  return saturation > 0.3 && (hue < 15 || hue > 345 || (hue >= 75 && hue <= 165));
};

function files(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, {withFileTypes: true})) {
      if (e.name.startsWith(".")) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|md|css)$/.test(e.name) && !path.endsWith("palette.ts")) out.push(path);
    }
  };
  walk(src);
  return out;
}

function offences(path: string): string[] {
  const text = readFileSync(path, "utf8");
  const hexes = [...text.matchAll(/#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b/g)].map((m) => m[0]).filter(isRedOrGreen);
  const named = [
    ...text.matchAll(
      /var\(--theme-(red|green)\)|"(red|green|crimson|firebrick|seagreen|forestgreen)"|scheme: *"(RdYlGn|RdGy|PiYG|PRGn)"/gi
    )
  ].map((m) => m[0]);
  return [...hexes, ...named];
}

describe("the palette", () => {
  test("hueOf reads reds, greens and the palette's blue and vermillion as such", () => {
    expect(isRedOrGreen("#d62728")).toBe(true);
    expect(isRedOrGreen("#2ca02c")).toBe(true);
    expect(isRedOrGreen("#59a14f")).toBe(true);
    expect(isRedOrGreen(TONE.good)).toBe(false);
    expect(isRedOrGreen(TONE.bad)).toBe(false);
    expect(isRedOrGreen(TONE.warn)).toBe(false);
    expect(isRedOrGreen("#9aa0a6")).toBe(false);
  });

  test("the palette itself has no red or green, and severity darkens with severity", () => {
    for (const c of [...Object.values(TONE), ...Object.values(SEVERITY), ...DIVERGING])
      expect(isRedOrGreen(c), c).toBe(false);
    const lightness = (hex: string) => [1, 3, 5].reduce((t, i) => t + parseInt(hex.slice(i, i + 2), 16), 0);
    const ramp = [SEVERITY.low, SEVERITY.medium, SEVERITY.high, SEVERITY.critical].map(lightness);
    expect([...ramp].sort((a, b) => b - a)).toEqual(ramp);
  });

  test("style.css declares the tones with the palette's values", () => {
    const css = readFileSync(join(src, "style.css"), "utf8");
    for (const [name, value] of Object.entries(TONE)) expect(css).toContain(`--wb-${name}: ${value};`);
  });

  test("no component, page or stylesheet writes a raw red or green", () => {
    const found = files()
      .map((f) => [relative(root, f), offences(f)] as const)
      .filter(([, o]) => o.length);
    expect(Object.fromEntries(found)).toEqual({});
  });
});
