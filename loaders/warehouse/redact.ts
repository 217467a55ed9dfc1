// Free text (model outputs, user edits) may hold personal data. It is redacted before it is stored,
// so nothing downstream — pages, dist/, the brief — can leak it. The same patterns run in SQL (RE2)
// at volume and in JavaScript for records mapped by adapters; a test keeps the two in step.
export interface Redaction {
  readonly name: string;
  readonly pattern: string;
  readonly replacement: string;
}

export const redactions: readonly Redaction[] = [
  {name: "api key", pattern: String.raw`\b(sk|pk|rk)-[A-Za-z0-9_-]{16,}`, replacement: "[key]"},
  {name: "email", pattern: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`, replacement: "[email]"},
  {name: "card number", pattern: String.raw`\b\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{1,4}\b`, replacement: "[card]"},
  // North-American and international shapes; ISO dates (4-2-2 digits) must not match.
  {name: "phone", pattern: String.raw`(?:\+\d{1,3}[ .-]?)?\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b`, replacement: "[phone]"},
];

export function redactText(text: string, maxChars: number): string {
  let out = text;
  for (const r of redactions) out = out.replace(new RegExp(r.pattern, "g"), r.replacement);
  return truncate(out, maxChars);
}

export function truncate(text: string, maxChars: number): string {
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : chars.slice(0, maxChars).join("") + "…";
}

/**
 * SQL expression redacting a column, mirroring the patterns of redactText. Most text holds nothing
 * to redact, so one pass of all the patterns as alternatives decides whether the replacements run at
 * all: if none matches the text, no replacement would change it (each replacement needs a match).
 */
export function redactSql(column: string): string {
  const quote = (pattern: string) => `'${pattern.replaceAll("'", "''")}'`;
  let out = column;
  for (const r of redactions) out = `regexp_replace(${out}, ${quote(r.pattern)}, '${r.replacement}', 'g')`;
  const any = redactions.map((r) => `(?:${r.pattern})`).join("|");
  return `CASE WHEN regexp_matches(${column}, ${quote(any)}) THEN ${out} ELSE ${column} END`;
}

/** SQL expression truncating a column like truncate(); apply it to a column, not a costly expression. */
export function truncateSql(column: string, maxChars: number): string {
  return `(CASE WHEN length(${column}) <= ${maxChars} THEN ${column} ELSE left(${column}, ${maxChars}) || '…' END)`;
}
