// Free text (model outputs, user edits, error messages, reviewers' notes) may hold personal data or
// secrets. It is redacted before it is stored, so nothing downstream (pages, dist/, the brief) can
// leak it. One table of detectors serves three places: the warehouse (SQL), the model-drafted brief
// and the scan of dist/ (JavaScript). A detector is a pattern valid in both JavaScript and RE2
// (DuckDB's regex engine: no lookaround, no backreferences) and, where no regex can decide, a check
// in JavaScript (Luhn, IBAN mod-97, the layouts of phone numbers) that confirms a candidate.
//
// No npm detector library is used: each is JavaScript-only, so at 2M rows every row would pay a call
// into JavaScript. Here DuckDB's RE2 tests every row against all the patterns at once, and only rows
// holding a candidate are handed to redactSecrets (registered as a DuckDB function), which is the only
// implementation of the replacements: the SQL side cannot disagree with it, only miss a candidate,
// which the tests rule out per detector.
import {duckdbApi, quotedString, type Database} from "./duckdb.js";

/**
 * secret: credentials and card numbers, redacted always (the config cannot turn it off); personal:
 * data about a person, redacted unless the workspace's config sets privacy.redact_free_text false.
 */
export type DetectorKind = "secret" | "personal";

export interface Detector {
  readonly name: string;
  readonly kind: DetectorKind;
  /** A pattern both JavaScript and RE2 read the same way; every match is a candidate. */
  readonly pattern: string;
  readonly replacement: string;
  /**
   * For a candidate at `index` of `text`: how many of its leading characters are the secret (the
   * candidate may run on into a following number), or 0 when it is not one. Absent: all of it.
   */
  readonly check?: (candidate: string, text: string, index: number) => number;
}

const digitsOf = (s: string) => s.replace(/\D/g, "");

/** Luhn's checksum, which every payment card number satisfies. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1 && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** ISO 13616: the IBAN with its first four characters moved to the end, letters as 10–35, is 1 mod 97. */
export function ibanValid(iban: string): boolean {
  const s = iban.replace(/[ -]/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  let rest = 0;
  for (const c of s.slice(4) + s.slice(0, 4)) {
    const v = c >= "A" ? c.charCodeAt(0) - 55 : c.charCodeAt(0) - 48;
    rest = (v > 9 ? rest * 100 + v : rest * 10 + v) % 97;
  }
  return rest === 1;
}

/**
 * The lengths of the candidate's prefixes that end where one group of characters ends (groups are
 * separated by spaces, dots, slashes or dashes), longest first: a number may run on into the next.
 */
function groupPrefixes(candidate: string): number[] {
  const ends: number[] = [];
  const re = /[^ .\/-]+/g;
  for (let m; (m = re.exec(candidate));) ends.push(m.index + m[0].length);
  return ends.reverse();
}

function longestPrefix(candidate: string, accept: (prefix: string) => boolean): number {
  return groupPrefixes(candidate).find((n) => accept(candidate.slice(0, n))) ?? 0;
}

/** Card layouts: unbroken, 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4; and issuer prefixes of the major networks. */
const CARD_LAYOUT =
  /^(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?|\d{4}([ -])\d{4}\2\d{4}\2\d{1,4}|\d{4}([ -])\d{6}\3\d{4,5})$/;
const CARD_ISSUER = /^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|35|6011|64[4-9]|65|62|5[06-9]|6[0-9])/;

/** The layouts of CARD_LAYOUT as RE2 can write them (no backreference: one alternative per separator). */
const CARD_CANDIDATES = [
  String.raw`\b\d{13,19}\b`,
  ...[" ", "-"].flatMap((sep) => [
    String.raw`\b\d{4}(?:${sep}\d{4}){2}${sep}\d{1,4}(?:${sep}\d{3})?\b`,
    String.raw`\b\d{4}${sep}\d{6}${sep}\d{4,5}\b`
  ])
].join("|");

function isCard(s: string): boolean {
  const digits = digitsOf(s);
  return CARD_LAYOUT.test(s) && CARD_ISSUER.test(digits) && luhnValid(digits);
}

/**
 * Phone numbers: international (+ or 00 and a country code, 8–15 digits), and the national layouts
 * of the US ((415) 555-0134, 415-555-0134), the UK (020 7946 0958, 07700 900123), Germany
 * (030 12345678, 0151/23456789), France (01 23 45 67 89) and India (98765 43210, 098765 43210).
 * Dates (4-2-2 digits), order numbers, versions and prices have none of these shapes.
 */
const PHONE_LAYOUTS = [
  /^(?:\+|00)[1-9]\d{0,2}(?:[ .-]?\(0\))?(?:[ .\/-]?\(?\d{1,5}\)?){1,6}$/,
  /^\(?[2-9]\d{2}\)?[ .-]?[2-9]\d{2}[ .-]\d{4}$/,
  /^\([2-9]\d{2}\)[2-9]\d{2}-?\d{4}$/,
  /^0\d{2,4}(?:[ \/-]?\d{2,4}){1,3}$/,
  /^0[1-9](?:[ .]\d{2}){4}$/,
  /^0?[6-9]\d{4} \d{5}$/
];

function isPhone(s: string): boolean {
  const n = digitsOf(s).length;
  if (s.startsWith("+")) return n >= 8 && n <= 15 && PHONE_LAYOUTS[0].test(s);
  if (s.startsWith("00")) return n >= 10 && n <= 15 && PHONE_LAYOUTS[0].test(s);
  if (s.startsWith("0")) return n >= 10 && n <= 12 && PHONE_LAYOUTS.slice(3).some((p) => p.test(s));
  return n === 10 && PHONE_LAYOUTS.slice(1).some((p) => p.test(s));
}

/**
 * The shapes a phone number can start in, so that dates, times and other runs of digits are not
 * candidates (a candidate costs a call into JavaScript): + or 00 and a country code, a trunk 0, the
 * US 3-3-4 and the Indian 5-5. isPhone then checks the whole layout and the number of digits.
 */
const PHONE_CANDIDATES = [
  String.raw`\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?\(?\d{1,5}\)?(?:[ .\/-]?\(?\d{1,5}\)?){1,5}`,
  String.raw`\b00\d{1,3}(?:[ .\/-]?\d{1,5}){2,6}`,
  String.raw`(?:\(|\b)[2-9]\d{2}\)?[ .-]?[2-9]\d{2}[ .-]\d{4}\b`,
  String.raw`\b0\d{1,4}(?:[ \/-]?\d{5,8}|[ \/-]?\d{3,4}[ \/-]\d{3,4})\b`,
  String.raw`\b0[1-9](?:[ .]\d{2}){4}\b`,
  String.raw`\b0?[6-9]\d{4} \d{5}\b`
].join("|");

/** Eight groups, or fewer around one "::": clock times (10:00:00) are not even candidates. */
const IPV6_CANDIDATES = [
  String.raw`\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b`,
  String.raw`\b(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?`,
  String.raw`::[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6}`
].join("|");

/** Dotted quads that follow "v" or a version word are versions (v1.2.3.4, version 10.0.0.1), not addresses. */
const VERSION_BEFORE = /(?:\bv|\b(?:version|ver|release|build|firmware|v\.)\s*)$/i;

function isIpv4(candidate: string, text: string, index: number): number {
  const before = text.slice(Math.max(0, index - 12), index);
  const after = text.slice(index + candidate.length, index + candidate.length + 2);
  // A fifth part (1.2.3.4.5) or a part before (9.1.2.3.4) makes it a version or an OID.
  if (/\d\.$/.test(before) || /^\.\d/.test(after) || VERSION_BEFORE.test(before)) return 0;
  return candidate.length;
}

/** Eight groups, or fewer with one "::"; clock times (10:00:00) have neither. */
function isIpv6(candidate: string): number {
  const s = candidate.replace(/:+$/, (c) => (c.length >= 2 ? "::" : ""));
  const halves = s.split("::");
  if (halves.length > 2) return 0;
  const groups = halves.flatMap((h) => (h ? h.split(":") : []));
  if (groups.some((g) => g.length === 0 || g.length > 4)) return 0;
  const full = halves.length === 1 && groups.length === 8;
  const compressed = halves.length === 2 && groups.length >= 2 && groups.length <= 7 && groups.join("").length >= 4;
  return full || compressed ? s.length : 0;
}

/** user@host:path is an SSH remote (git@github.com:org/repo.git), not a mailbox. */
function notGitRemote(candidate: string, text: string, index: number): number {
  return /^:[\w~]/.test(text.slice(index + candidate.length, index + candidate.length + 2)) ? 0 : candidate.length;
}

/** Basic credentials are base64 of "user:password"; anything else after "Basic" is prose. */
function authHeader(candidate: string): number {
  const [scheme, token = ""] = candidate.split(/\s+/, 2);
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(token, "base64").toString("latin1");
    return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded) ? candidate.length : 0;
  }
  // Bearer tokens carry digits; "Bearer authentication" does not.
  return /\d/.test(token) && token.length >= 16 ? candidate.length : 0;
}

/**
 * A candidate that is part of a decimal number (the digits after "0." in 0.5766666666666666, or
 * "+1.9161415" in t+1.9161415*e) or a sum is not a card or a phone number, whatever its digits.
 */
function inNumber(candidate: string, text: string, index: number): boolean {
  if (inHexId(candidate, text, index)) return true;
  const before = text.slice(Math.max(0, index - 1), index);
  const after = text.slice(index + candidate.length, index + candidate.length + 2);
  if (before === "." || (before === "," && /\d,$/.test(text.slice(Math.max(0, index - 2), index)))) return true;
  if (candidate.startsWith("+") && /[\w)]/.test(before)) return true;
  return /^[.,]\d/.test(after) || /^[+-]?\d*\.\d+$/.test(candidate);
}

/**
 * Digits inside a hyphenated hex identifier (a UUID such as 06132249-8712-4cb2-…, a trace id) are not
 * a phone or card number: the word around the candidate is hex digits and hyphens with a letter in it.
 */
function inHexId(candidate: string, text: string, index: number): boolean {
  const before = /[0-9A-Za-z-]*$/.exec(text.slice(Math.max(0, index - 64), index))![0];
  const after = /^[0-9A-Za-z-]*/.exec(text.slice(index + candidate.length, index + candidate.length + 64))![0];
  const word = before + candidate + after;
  return /^[0-9A-Fa-f-]+$/.test(word) && /[A-Fa-f]/.test(word);
}

const numeric = (accept: (prefix: string) => boolean) => (candidate: string, text: string, index: number) =>
  inNumber(candidate, text, index) ? 0 : longestPrefix(candidate, accept);

/** In order: a longer secret is replaced before a detector that would match part of it runs. */
export const detectors: readonly Detector[] = [
  {
    name: "private key",
    kind: "secret",
    pattern: String.raw`-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----|[\s\S]*)`,
    replacement: "[private key]"
  },
  {
    name: "jwt",
    kind: "secret",
    pattern: String.raw`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`,
    replacement: "[jwt]"
  },
  {
    name: "auth header",
    kind: "secret",
    pattern: String.raw`\b(?:[Bb]earer|[Bb]asic|BEARER|BASIC)\s+[A-Za-z0-9._~+/=-]{8,}`,
    replacement: "[auth]",
    check: authHeader
  },
  {
    name: "aws access key",
    kind: "secret",
    pattern: String.raw`\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`,
    replacement: "[key]"
  },
  {
    name: "aws secret key",
    kind: "secret",
    pattern: String.raw`\b(?:aws_secret_access_key|AWS_SECRET_ACCESS_KEY)["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{40}`,
    replacement: "[key]"
  },
  {
    name: "github token",
    kind: "secret",
    pattern: String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b`,
    replacement: "[key]"
  },
  {name: "slack token", kind: "secret", pattern: String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`, replacement: "[key]"},
  {name: "google api key", kind: "secret", pattern: String.raw`\bAIza[0-9A-Za-z_-]{35}`, replacement: "[key]"},
  {
    name: "api key",
    kind: "secret",
    pattern: String.raw`\b(?:(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,})`,
    replacement: "[key]"
  },
  {
    name: "email",
    kind: "personal",
    pattern: String.raw`[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b`,
    replacement: "[email]",
    check: notGitRemote
  },
  {
    name: "iban",
    kind: "personal",
    pattern: String.raw`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b`,
    replacement: "[iban]",
    check: (c) => longestPrefix(c, ibanValid)
  },
  {name: "card number", kind: "secret", pattern: CARD_CANDIDATES, replacement: "[card]", check: numeric(isCard)},
  {name: "phone", kind: "personal", pattern: PHONE_CANDIDATES, replacement: "[phone]", check: numeric(isPhone)},
  {
    name: "ipv4",
    kind: "personal",
    pattern: String.raw`\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b`,
    replacement: "[ip]",
    check: isIpv4
  },
  {name: "ipv6", kind: "personal", pattern: IPV6_CANDIDATES, replacement: "[ip]", check: isIpv6}
];

/** Where `detector` finds a secret in `text`: candidates its check confirms, in order. */
export function* findSecrets(text: string, detector: Detector): Generator<{start: number; end: number}> {
  const re = new RegExp(detector.pattern, "g");
  for (let m; (m = re.exec(text));) {
    const n = detector.check ? detector.check(m[0], text, m.index) : m[0].length;
    if (n > 0) {
      yield {start: m.index, end: m.index + n};
      re.lastIndex = m.index + n;
    } else {
      // The candidate may have begun too early (an order number before a phone number): try again
      // from the next character, which the patterns' word boundaries move to the next group.
      re.lastIndex = m.index + 1;
    }
  }
}

/** What to redact: everything the detectors find, or only secrets (when the config keeps personal data). */
export type Scope = "all" | "secrets";

const inScope = (scope: Scope) => (d: Detector) => scope === "all" || d.kind === "secret";

/** The text with every secret replaced by its detector's placeholder, detector by detector. */
export function redactSecrets(text: string, scope: Scope = "all"): string {
  let out = text;
  for (const detector of detectors.filter(inScope(scope))) {
    let next = "";
    let at = 0;
    for (const hit of findSecrets(out, detector)) {
      next += out.slice(at, hit.start) + detector.replacement;
      at = hit.end;
    }
    if (at > 0) out = next + out.slice(at);
  }
  return out;
}

export function redactText(text: string, maxChars: number): string {
  return truncate(redactSecrets(text), maxChars);
}

export function truncate(text: string, maxChars: number): string {
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : chars.slice(0, maxChars).join("") + "…";
}

/** Shows where a secret was without showing it: its first two and last two characters at most. */
export function maskSecret(secret: string): string {
  const chars = Array.from(secret);
  if (chars.length <= 8) return "*".repeat(chars.length);
  return `${chars.slice(0, 2).join("")}${"*".repeat(Math.min(chars.length - 4, 12))}${chars.slice(-2).join("")}`;
}

const redactFunction = (scope: Scope) => (scope === "all" ? "workbench_redact" : "workbench_redact_secrets");

/** Upper bounds of counted repeats above this are dropped from the candidate pattern (see candidatePattern). */
export const CANDIDATE_MAX_BOUND = 30;

/**
 * The detectors' patterns as one RE2 alternation: a row no pattern matches holds no secret. Long
 * counted repeats lose their upper bound ({1,64} becomes {1,}): RE2 writes out every allowed repeat
 * when it compiles, and the email's and GitHub token's bounds made compiling this pattern cost about
 * 11 ms instead of 2.5, paid again for every free-text column of every insert (a third of a small
 * file's ingest). Dropping an upper bound only widens what matches, so every row the exact pattern
 * flags is still a candidate; a row flagged only by the wider one (a run longer than the bound) goes
 * to redactSecrets, which applies the exact patterns and returns it unchanged.
 */
export function candidatePattern(scope: Scope = "all"): string {
  return detectors
    .filter(inScope(scope))
    .map((d) => `(?:${withoutLongBounds(d.pattern)})`)
    .join("|");
}

/** The pattern with every counted repeat whose upper bound exceeds CANDIDATE_MAX_BOUND left unbounded. */
export function withoutLongBounds(pattern: string): string {
  return pattern.replace(/\{(\d+),(\d+)\}/g, (repeat, min: string, max: string) =>
    Number(max) > CANDIDATE_MAX_BOUND ? `{${min},}` : repeat
  );
}

/**
 * SQL expression redacting a column. RE2 tests the row against every pattern in one pass; only a
 * row holding a candidate calls redactSecrets's JavaScript (see registerRedaction), which confirms
 * checksums and layouts and replaces. DuckDB evaluates a CASE branch only for the rows that take
 * it, so the JavaScript cost is per candidate row, not per row.
 */
export function redactSql(column: string, scope: Scope = "all"): string {
  const quoted = quotedString(candidatePattern(scope));
  return `CASE WHEN regexp_matches(${column}, ${quoted}) THEN ${redactFunction(scope)}(${column}) ELSE ${column} END`;
}

const registered = new WeakSet<object>();

/** Makes redactSql's functions available to `db`'s connection (once per connection). */
export function registerRedaction(db: Database): void {
  if (registered.has(db.connection)) return;
  const {VARCHAR, DuckDBScalarFunction} = duckdbApi();
  for (const scope of ["all", "secrets"] as const) {
    db.connection.registerScalarFunction(
      DuckDBScalarFunction.create({
        name: redactFunction(scope),
        returnType: VARCHAR,
        parameterTypes: [VARCHAR],
        mainFunction: (_info, input, output) => {
          const texts = input.getColumnVector(0);
          for (let row = 0; row < input.rowCount; row++) {
            const text = texts.getItem(row) as string | null;
            output.setItem(row, text === null ? null : redactSecrets(text, scope));
          }
          output.flush();
        }
      })
    );
  }
  registered.add(db.connection);
}

/** SQL expression truncating a column like truncate(); apply it to a column, not a costly expression. */
export function truncateSql(column: string, maxChars: number): string {
  return `(CASE WHEN length(${column}) <= ${maxChars} THEN ${column} ELSE left(${column}, ${maxChars}) || '…' END)`;
}
