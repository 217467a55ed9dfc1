import {describe, expect, test} from "vitest";
import {redactSql, redactText, truncate} from "../../loaders/warehouse/redact.js";
import {openDatabase} from "../../loaders/warehouse/duckdb.js";

const samples = [
  "Reach me at jane.doe+billing@example.co.uk or 415-555-0134 tomorrow.",
  "Card 4111 1111 1111 1111 was charged; key sk-test_abcdefghijklmnop1234 leaked.",
  "Call +44 20 7946 0958? Ticket created 2026-11-20T10:00:00Z, order 12345.",
  "Nothing personal here.",
];

describe("redactText(text, maxChars)", () => {
  test("replaces emails, phones, cards and API keys but not dates or short ids", () => {
    expect(redactText(samples[0], 500)).toBe("Reach me at [email] or [phone] tomorrow.");
    expect(redactText(samples[1], 500)).toBe("Card [card] was charged; key [key] leaked.");
    expect(redactText(samples[2], 500)).toContain("2026-11-20T10:00:00Z, order 12345");
  });

  test("truncates by characters with an ellipsis", () => {
    expect(truncate("héllo wörld", 5)).toBe("héllo…");
    expect(truncate("short", 5)).toBe("short");
  });

  test("the SQL version gives the same text as the JavaScript version", async () => {
    const db = await openDatabase();
    for (const s of samples) {
      const [{out}] = await db.query<{out: string}>(`SELECT ${redactSql("$s")} AS out`, {s});
      expect(out).toBe(redactText(s, 10_000));
    }
    db.close();
  });
});

describe("redactSql(column)", () => {
  test("leaves text with nothing to redact as it is, and redacts each kind alone and all together", async () => {
    const db = await openDatabase();
    const texts = [...samples, "", "order #13386 shipped", "sk-short", "mail: a@b.io", "4111111111111111", "(415) 555-0142", samples.join(" ")];
    for (const s of texts) {
      const [{out}] = await db.query<{out: string}>(`SELECT ${redactSql("s")} AS out FROM (SELECT $s AS s)`, {s});
      expect(out).toBe(redactText(s, 10_000));
    }
    const [{none}] = await db.query<{none: string | null}>(`SELECT ${redactSql("s")} AS none FROM (SELECT NULL::VARCHAR AS s)`);
    expect(none).toBeNull();
    db.close();
  });
});
