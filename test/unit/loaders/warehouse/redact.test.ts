import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {
  CANDIDATE_MAX_BOUND,
  candidatePattern,
  detectors,
  ibanValid,
  luhnValid,
  maskSecret,
  redactSecrets,
  redactSql,
  redactText,
  registerRedaction,
  truncate,
  withoutLongBounds
} from "../../../../loaders/warehouse/redact.js";
import {openDatabase, type Database} from "../../../../loaders/warehouse/duckdb.js";

/** Per detector: texts it must redact (with what is left), and near misses it must leave alone. */
const rules: Record<string, {redacts: [string, string][]; keeps: string[]}> = {
  "private key": {
    redacts: [
      [
        "key -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY----- after",
        "key [private key] after"
      ],
      ["-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC (cut off", "[private key]"],
      [
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
        "[private key]"
      ]
    ],
    keeps: [
      "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n-----END PUBLIC KEY-----",
      "-----BEGIN CERTIFICATE-----"
    ]
  },
  jwt: {
    redacts: [
      [
        "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok",
        "token [jwt] ok"
      ]
    ],
    keeps: ["eyJ is how base64 JSON starts", "a.b.c and file.tar.gz"]
  },
  "auth header": {
    redacts: [
      ["Authorization: Bearer abc123def456ghi789jkl", "Authorization: [auth]"],
      ["curl -H 'Authorization: Basic dXNlcjpwYXNzd29yZA=='", "curl -H 'Authorization: [auth]'"]
    ],
    keeps: ["Bearer authentication is described in RFC 6750", "the Basic plan subscription", "Basic SubscriptionTier"]
  },
  "aws access key": {
    redacts: [
      ["id AKIAIOSFODNN7EXAMPLE.", "id [key]."],
      ["ASIAY34FZKBOKMUTVV7A", "[key]"]
    ],
    keeps: ["AKIA is the prefix", "AKIAIOSFODNN7EXAMPLEXYZ"]
  },
  "aws secret key": {
    redacts: [["aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "[key]"]],
    keeps: ["aws_secret_access_key is read from the environment"]
  },
  "github token": {
    redacts: [
      ["ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked", "[key] leaked"],
      ["github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "[key]"],
      ["gho_16C7e42F292c6912E7710c838347Ae178B4a", "[key]"]
    ],
    keeps: ["ghp_short", "github_pat_ is a prefix"]
  },
  "slack token": {
    redacts: [
      ["xoxb-1234567890-abcdefghij", "[key]"],
      ["xoxp-2233445566-7788990011-abcdef", "[key]"]
    ],
    keeps: ["xoxo-1234567890-abc", "xoxb-short"]
  },
  "google api key": {redacts: [["AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW", "[key]"]], keeps: ["AIza alone"]},
  "api key": {
    redacts: [
      ["key sk-test_abcdefghijklmnop1234 leaked", "key [key] leaked"],
      ["sk_live_4eC39HqLyjWDarjtT1zdp7dc", "[key]"]
    ],
    keeps: ["sk-short", "task-1234567890abcdefgh"]
  },
  email: {
    redacts: [["Reach jane.doe+billing@example.co.uk today", "Reach [email] today"]],
    keeps: ["claude-3-5-sonnet@20240620", "@mention", "a@b", "origin git@github.com:UKGovernmentBEIS/inspect_ai.git"]
  },
  iban: {
    redacts: [
      ["IBAN GB82 WEST 1234 5698 7654 32.", "IBAN [iban]."],
      ["DE89370400440532013000", "[iban]"],
      ["pay DE89 3704 0044 0532 0130 00 THEN stop", "pay [iban] THEN stop"],
      ["FR1420041010050500013M02606", "[iban]"]
    ],
    keeps: ["GB82 WEST 1234 5698 7654 33", "DE00370400440532013000", "ISO 8601 AB12 CDEF GHIJ"]
  },
  "card number": {
    redacts: [
      ["Visa 4111 1111 1111 1111 charged", "Visa [card] charged"],
      ["4111111111111111", "[card]"],
      ["MC 5105-1051-0510-5100.", "MC [card]."],
      ["Amex 3782 822463 10005 ok", "Amex [card] ok"],
      ["Amex 378282246310005", "Amex [card]"],
      ["Diners 3056 930902 5904", "Diners [card]"],
      ["Discover 6011 1111 1111 1117", "Discover [card]"],
      ["card 4111 1111 1111 1111 2024", "card [card] 2024"]
    ],
    keeps: [
      "4111 1111 1111 1112",
      "1234567890123",
      "score 0.5766666666666666",
      "4111111111111111.5",
      "order 4111111111111111111111",
      "trace 4bf92f3577b34da6a3ce929d0e0e4736"
    ]
  },
  phone: {
    redacts: [
      [
        "US 415-555-0134, (415) 555-0134, 415.555.0134 and +1 (415) 555-0142.",
        "US [phone], [phone], [phone] and [phone]."
      ],
      ["UK +44 20 7946 0958, 020 7946 0958, 07700 900123", "UK [phone], [phone], [phone]"],
      ["DE +49 30 12345678, 030 12345678, 0151/23456789", "DE [phone], [phone], [phone]"],
      ["FR +33 1 23 45 67 89, 01 23 45 67 89", "FR [phone], [phone]"],
      ["IN +91 98765 43210, 98765 43210, 098765 43210", "IN [phone], [phone], [phone]"],
      ["call 0044 20 7946 0958", "call [phone]"],
      ["ORD-2024-000123 020 7946 0958", "ORD-2024-000123 [phone]"]
    ],
    keeps: [
      "order ORD-2024-000123 shipped",
      "gpt-4o-mini-2024-07-18",
      "2026-11-20T10:00:00.000Z and 2026-11-20 10:00",
      "12/05/2026, 05.12.2026",
      "$1,234.56 and 1234.5678 EUR",
      "order 4155550134",
      "version 1.2.3.4 and 10.0.19045.3803",
      "range 100-200-300",
      "B(-.9787684*t+1.9161415*e+.033454*r)",
      "id 06132249-8712-4cb2-b340-b4e872ed962e"
    ]
  },
  ipv4: {
    redacts: [["server 192.168.1.20 and 10.0.0.1.", "server [ip] and [ip]."]],
    keeps: ["v1.2.3.4", "version 10.0.0.1", "release 2.1.0.4", "1.2.3.4.5", "OID 1.3.6.1.4.1", "999.1.1.1", "0.95 0.12"]
  },
  ipv6: {
    redacts: [
      ["from 2001:db8::8a2e:370:7334 and fe80::1.", "from [ip] and [ip]."],
      ["2001:0db8:85a3:0000:0000:8a2e:0370:7334", "[ip]"]
    ],
    keeps: ["at 10:00:00", "ratio 3:2", "12:30", "2026-11-20T10:00:00Z", "std::vector"]
  }
};

let db: Database;
beforeAll(async () => {
  db = await openDatabase();
  registerRedaction(db);
});
afterAll(() => db.close());

const sqlRedact = async (s: string | null) =>
  (await db.query<{out: string | null}>(`SELECT ${redactSql("s")} AS out FROM (SELECT $s::VARCHAR AS s)`, {s}))[0].out;
const sqlCandidate = async (s: string) =>
  (await db.query<{hit: boolean}>(`SELECT regexp_matches($s, $p) AS hit`, {s, p: candidatePattern()}))[0].hit;

describe("detectors", () => {
  test("every detector has rules here, and every rule's name is a detector", () => {
    expect(Object.keys(rules).sort()).toEqual(detectors.map((d) => d.name).sort());
  });

  for (const [name, {redacts, keeps}] of Object.entries(rules)) {
    test(`${name}: redacts its secrets`, () => {
      for (const [text, expected] of redacts) expect(redactSecrets(text), text).toBe(expected);
    });
    test(`${name}: leaves its near misses alone`, () => {
      for (const text of keeps) expect(redactSecrets(text), text).toBe(text);
    });
    test(`${name}: RE2 reads the pattern and flags every secret as a candidate, and SQL redacts as JavaScript does`, async () => {
      for (const [text, expected] of redacts) {
        expect(await sqlCandidate(text), text).toBe(true);
        expect(await sqlRedact(text), text).toBe(expected);
      }
      for (const text of keeps) expect(await sqlRedact(text), text).toBe(text);
    });
  }
});

describe("candidatePattern()", () => {
  test("ordinary prose with dates, times, versions and prices is no candidate, so it never pays for a JavaScript call", async () => {
    for (const text of [
      "Ticket created 2026-11-20 at 10:00:00 (UTC), order #13386, refund of $1,234.56 in 5–7 days.",
      "gpt-4o-mini-2024-07-18 scored 0.8125 on 2026-11-20T10:00:00.000Z",
      "Thanks for reaching out! Our team will follow up within 24 hours."
    ]) {
      expect(await sqlCandidate(text), text).toBe(false);
    }
  });
});

describe("withoutLongBounds(pattern)", () => {
  test("drops only the upper bounds above the limit, so the pattern matches at least what it did", () => {
    expect(withoutLongBounds(String.raw`[a-z]{1,64}@\d{13,19}x{2,24}y{16}z{36,255}`)).toBe(
      String.raw`[a-z]{1,}@\d{13,19}x{2,24}y{16}z{36,}`
    );
  });

  test("the candidate pattern RE2 compiles has no counted repeat bounded above the limit (each one is written out)", () => {
    for (const scope of ["all", "secrets"] as const) {
      const bounds = [...candidatePattern(scope).matchAll(/\{\d+,(\d+)\}/g)].map((m) => Number(m[1]));
      expect(bounds.length, scope).toBeGreaterThan(0);
      expect(Math.max(...bounds), scope).toBeLessThanOrEqual(CANDIDATE_MAX_BOUND);
    }
    // The detectors themselves keep their bounds: redactSecrets applies the exact patterns.
    expect(detectors.find((d) => d.name === "github token")!.pattern).toContain("{36,255}");
  });

  test("a run longer than a dropped bound is a candidate, and redactSecrets decides exactly as before", async () => {
    const token = `ghp_${"a1".repeat(150)}`;
    expect(await sqlCandidate(token)).toBe(true);
    expect(await sqlRedact(token)).toBe(redactSecrets(token));
    expect(redactSecrets(token)).toBe(token);
    const mail = `${"x".repeat(70)}@example.com`;
    expect(await sqlRedact(mail)).toBe(redactSecrets(mail));
  });
});

describe("redactSecrets(text)", () => {
  test("takes linear time on long runs that almost match (no backtracking blow-up)", () => {
    // Judged by growth, not by a clock limit (a loaded machine took 2.4 s where an idle one takes
    // 0.1 s): four times the text must take well under sixteen times as long, which a backtracking
    // pattern's quadratic cost would. Timed in this process's CPU time, not wall time: time spent waiting
    // for a core is not the pattern's (under load 20-30, and with CI's Node 24 unit tests running beside
    // the browser tests, a wall-clock ratio of 42 failed it). Each size's fastest of three runs; the
    // smaller counts as at least 1 ms, so that a jitter on a sub-millisecond run cannot fail it.
    const cpuMs = () => {
      const {user, system} = process.cpuUsage();
      return (user + system) / 1000;
    };
    const fastest = (text: string) => {
      let best = Infinity;
      for (let run = 0; run < 3; run++) {
        const started = cpuMs();
        expect(redactSecrets(text)).toBe(text);
        best = Math.min(best, cpuMs() - started);
      }
      return best;
    };
    for (const [unit, times] of [
      ["a", 200_000],
      ["1 ", 100_000],
      ["xy:", 60_000],
      ["-----BEGIN ", 20_000],
      ["0", 200_000]
    ] as const) {
      const tail = unit === "a" ? " 2026-11-20" : "";
      const small = fastest(unit.repeat(times / 4) + tail);
      const large = fastest(unit.repeat(times) + tail);
      expect(
        large / Math.max(small, 1),
        `${unit} × ${times}: ${small.toFixed(1)} → ${large.toFixed(1)} ms`
      ).toBeLessThan(8);
    }
  });
});

describe("luhnValid(digits) and ibanValid(iban)", () => {
  test("accept the published test numbers and reject a changed digit", () => {
    expect(["4111111111111111", "378282246310005", "6011111111111117", "79927398713"].map(luhnValid)).toEqual([
      true,
      true,
      true,
      true
    ]);
    expect(["4111111111111112", "79927398710", ""].map(luhnValid)).toEqual([false, false, false]);
    expect(["GB82WEST12345698765432", "DE89 3704 0044 0532 0130 00", "NL91ABNA0417164300"].map(ibanValid)).toEqual([
      true,
      true,
      true
    ]);
    expect(["GB82WEST12345698765433", "NL91ABNA0417164301", "GB82"].map(ibanValid)).toEqual([false, false, false]);
  });
});

describe("redactText(text, maxChars)", () => {
  test("redacts before truncating, by characters with an ellipsis", () => {
    expect(redactText("mail jane@example.com now", 12)).toBe("mail [email]…");
    expect(truncate("héllo wörld", 5)).toBe("héllo…");
    expect(truncate("short", 5)).toBe("short");
  });
});

describe("redactSql(column)", () => {
  test("leaves text with nothing to redact and NULL as they are, and redacts every kind together", async () => {
    expect(await sqlRedact(null)).toBeNull();
    expect(await sqlRedact("Nothing personal here.")).toBe("Nothing personal here.");
    const all = Object.values(rules)
      .flatMap((r) => r.redacts.map(([t]) => t))
      .join(" | ");
    expect(await sqlRedact(all)).toBe(redactSecrets(all));
  });
});

describe("redactSecrets(text, scope)", () => {
  test("with scope secrets redacts credentials and card numbers but keeps personal data", async () => {
    const text = "jane@example.com, +44 20 7946 0958, 10.0.0.1, key AKIAIOSFODNN7EXAMPLE, card 4111 1111 1111 1111";
    expect(redactSecrets(text, "secrets")).toBe("jane@example.com, +44 20 7946 0958, 10.0.0.1, key [key], card [card]");
    const [{out}] = await db.query<{out: string}>(`SELECT ${redactSql("$s", "secrets")} AS out`, {s: text});
    expect(out).toBe(redactSecrets(text, "secrets"));
  });
});

describe("maskSecret(secret)", () => {
  test("shows at most two characters at each end", () => {
    expect(maskSecret("AKIAIOSFODNN7EXAMPLE")).toBe("AK************LE");
    expect(maskSecret("a@b.io")).toBe("******");
  });
});
