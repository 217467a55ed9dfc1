// The last line of defense: after every build, the redaction detectors run over every file of the
// built site, because a secret can reach it by a path redaction does not cover (an identifier, which
// is kept exact for joins; a config value; a page's own text). Findings name the file and the
// detector and show the secret masked, never whole.
//
// Every file is scanned for secrets, the third-party code under dist/_npm, dist/_node and
// dist/_observablehq included. Those folders are copies of pinned node_modules packages and hold no
// workspace data, so the personal-data detectors (email, phone, IP, IBAN) do not run on them: the
// Explore page brings DuckDB-wasm's worker and wasm files into the site, and those carry a licence
// author's email, loopback addresses and digit tables that no refinement of a detector could tell
// from a user's. test/unit/loaders/hermetic/scanDist.test.ts checks the built sample site as a whole.
import {createHash} from "node:crypto";
import {existsSync, lstatSync, readFileSync, readdirSync, renameSync, writeFileSync} from "node:fs";
import {join, relative, sep} from "node:path";
import {parquetMetadata, type FileMetaData} from "hyparquet";
import {parquetHeader} from "hyparquet/src/column.js";
import {deltaBinaryPacked, deltaValueCount} from "../../src/lib/parquetDelta.js";
import {detectors, findSecrets, maskSecret, type Scope} from "../warehouse/redact.js";

export interface Finding {
  /** Path relative to the scanned folder, with forward slashes. */
  file: string;
  detector: string;
  /** The secret with all but its first and last two characters masked. */
  masked: string;
}

const TEXT_FILE = /\.(html?|js|mjs|json|csv|tsv|txt|md|css|svg|xml)$/i;

/** Undoes the escapes a secret can hide behind in HTML, JSON and JavaScript strings. */
export function unescapeText(text: string): string {
  return text
    .replace(/\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})/g, (_, a, b, c) =>
      String.fromCodePoint(parseInt(a ?? b ?? c, 16))
    )
    .replace(/\\([nrt\\/"'])/g, (_, c: string) => ({n: "\n", r: "\r", t: "\t"})[c as "n" | "r" | "t"] ?? c)
    .replace(/&#x([0-9a-fA-F]+);|&#(\d+);/g, (_, hex, dec) =>
      String.fromCodePoint(hex ? parseInt(hex, 16) : Number(dec))
    )
    .replace(
      /&(amp|lt|gt|quot|apos|nbsp|commat|period);/g,
      (_, name: string) =>
        ({amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", commat: "@", period: "."})[name] ?? ""
    );
}

/**
 * The text a file can show: a text file as UTF-8 with its escapes undone; any other file (Parquet,
 * Arrow, images) as its runs of printable bytes, as `strings` reads them, each on its own line.
 * Compressed binary pages (Parquet with Snappy or ZSTD) are not readable this way.
 *
 * A Parquet file is read with its own metadata (its column chunks' byte ranges and types), in two ways:
 * - The chunks of number and boolean columns are left out. Their bytes are numbers, and runs of
 *   printable bytes among them are chance: the 1M-result eval_results export showed an "email" made
 *   of the bytes of random doubles. A secret cannot be written there as text, so nothing findable is
 *   lost; the text columns, the schema and the footer are read as before.
 * - A run that is a whole trace-context id (16 or 32 hex digits, W3C's span and trace ids) next to
 *   another such run of the same column chunk is joined to it with a hyphen. A column's values follow
 *   one another in its chunk, each behind its length, so a span id column reads as one id per run; an
 *   id that happens to be all digits (about 1 in 2,000 span ids) then stood alone and could pass as a
 *   card number: 75 such findings in the 2M-span export, every one a span id. Joined, it is judged as
 *   the detectors judge a trace id in text: a hex word with a letter in it is an identifier (redact.ts,
 *   inHexId). A card number in another column is never joined to an id column's last value, and in a
 *   column of card numbers no lettered id stands beside it.
 * - A DELTA_LENGTH_BYTE_ARRAY page (Parquet v2's distinct text) holds its values back to back, with
 *   nothing between them: read as they lie, a span id column would be one run of hex digits and a
 *   card number would run into its neighbours. Its values are read apart instead, each a run of its
 *   own as in a PLAIN page, and the page's bytes are left out where they lie.
 */
export function readableText(path: string, bytes: Buffer): string {
  if (TEXT_FILE.test(path)) return unescapeText(bytes.toString("utf8"));
  const chunks = /\.parquet$/i.test(path) ? columnChunks(bytes) : [];
  let readable = bytes;
  const blank = (start: number, end: number) => {
    if (readable === bytes) readable = Buffer.from(bytes);
    readable.fill(0, start, end);
  };
  // Each delta page's values, apart, as the chunk's own text after the file's.
  const apart: string[] = [];
  chunks.forEach((chunk, index) => {
    if (!chunk.text) return blank(chunk.start, chunk.end);
    for (const page of chunk.deltaText ? deltaTextPages(bytes, chunk) : []) {
      blank(page.start, page.end);
      const values = page.values.map(([start, end]) => bytes.toString("latin1", start, end));
      apart.push(printableRuns(values.join("\0"), () => index));
    }
  });
  const latin1 = readable.toString("latin1");
  return [printableRuns(latin1, (at) => chunkAt(chunks, at)), ...apart].filter(Boolean).join("\n");
}

/** The runs of printable bytes in `latin1`, each on its own line, a run of trace-context ids joined by hyphens within its chunk (chunkOf). */
function printableRuns(latin1: string, chunkOf: (at: number) => number): string {
  const printable = /[\x20-\x7e\t\n\r]{6,}/g;
  let text = "";
  let previous: {chunk: number} | undefined;
  for (let match; (match = printable.exec(latin1));) {
    const id = HEX_ID.test(match[0]);
    const chunk = id ? chunkOf(match.index) : -1;
    if (previous) text += id && chunk >= 0 && previous.chunk === chunk ? "-" : "\n";
    text += id ? match[0].trim() : match[0];
    previous = id ? {chunk} : {chunk: -1};
  }
  return text;
}

/**
 * A run that is one W3C trace-context id. A 32-byte value's length prefix starts with 0x20, a space,
 * which can end the run before it: the id is allowed its surrounding blanks.
 */
const HEX_ID = /^\s*(?:[0-9a-f]{16}|[0-9a-f]{32})\s*$/;

/** One column chunk of a Parquet file: its bytes [start, end), and whether its values are bytes (text). */
interface Chunk {
  start: number;
  end: number;
  text: boolean;
  /** Some page holds text DELTA_LENGTH_BYTE_ARRAY; then whether the column may hold nulls (its pages have levels). */
  deltaText?: {optional: boolean};
}

/**
 * The DELTA_LENGTH_BYTE_ARRAY pages of an uncompressed chunk, each page's bytes [start, end) and its
 * values' [start, end); a page that cannot be read so is left out (and read as it lies).
 */
function deltaTextPages(bytes: Buffer, chunk: Chunk): {start: number; end: number; values: [number, number][]}[] {
  const pages = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bytesView = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reader = {view, offset: chunk.start};
  try {
    while (reader.offset < chunk.end) {
      const header = parquetHeader(reader);
      const start = reader.offset;
      const end = start + header.compressed_page_size;
      reader.offset = end;
      const v1 = header.data_page_header;
      const v2 = header.data_page_header_v2;
      if ((v1 ?? v2)?.encoding !== "DELTA_LENGTH_BYTE_ARRAY" || end > chunk.end) continue;
      // The levels before the values: in v1 behind a 4-byte length (when the column has any), in v2 of given lengths.
      let at = start;
      if (v1 && chunk.deltaText!.optional) at += 4 + view.getUint32(at, true);
      if (v2) at += v2.definition_levels_byte_length + v2.repetition_levels_byte_length;
      const lengths = new Float64Array(Math.max(0, deltaValueCount(bytesView, at, end)));
      at = deltaBinaryPacked(bytesView, at, end, lengths);
      if (at < 0) continue;
      const values: [number, number][] = [];
      for (const length of lengths) values.push([at, (at += length)]);
      if (at <= end) pages.push({start, end, values});
    }
  } catch {
    // A damaged page header: the pages read so far stand, the rest is read as it lies.
  }
  return pages;
}

/** Each column chunk of a Parquet file, by start; none when it cannot be read as one. */
function columnChunks(bytes: Buffer): Chunk[] {
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const metadata = parquetMetadata(buffer);
    return metadata.row_groups
      .flatMap((group) => group.columns)
      .flatMap(({meta_data: m}) => {
        if (!m) return [];
        const start = Number(m.dictionary_page_offset ?? m.data_page_offset);
        const end = start + Number(m.total_compressed_size);
        // A damaged footer must not blank out bytes it does not describe.
        if (!(start >= 0 && end <= bytes.length && start < end)) return [];
        const text = m.type === "BYTE_ARRAY" || m.type === "FIXED_LEN_BYTE_ARRAY";
        const delta = text && m.codec === "UNCOMPRESSED" && m.encodings.includes("DELTA_LENGTH_BYTE_ARRAY");
        return [{start, end, text, ...(delta && {deltaText: {optional: optional(metadata, m.path_in_schema)}})}];
      })
      .sort((a, b) => a.start - b.start);
  } catch {
    // Not a Parquet file after all (or a damaged one): every run on its own line, as for any binary.
    return [];
  }
}

/** Whether a flat column may hold nulls (a nested one's levels are not read here: it counts as optional). */
function optional(metadata: FileMetaData, path: string[]): boolean {
  const element = metadata.schema.find((e, i) => i > 0 && e.name === path[path.length - 1]);
  return path.length > 1 || element?.repetition_type !== "REQUIRED";
}

/** The index of the chunk holding `offset`, or -1. */
function chunkAt(chunks: Chunk[], offset: number): number {
  let low = 0;
  let high = chunks.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (offset < chunks[mid].start) high = mid - 1;
    else if (offset >= chunks[mid].end) low = mid + 1;
    else return mid;
  }
  return -1;
}

/** Every secret the detectors find in one text, as findings of `file`. */
export function scanText(file: string, text: string, scope: Scope = "all"): Finding[] {
  const findings: Finding[] = [];
  for (const detector of detectors) {
    if (scope === "secrets" && detector.kind !== "secret") continue;
    for (const hit of findSecrets(text, detector))
      findings.push({file, detector: detector.name, masked: maskSecret(text.slice(hit.start, hit.end))});
  }
  return findings;
}

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    // lstat: a symlink is not followed out of the site (Framework copies files; it writes no links).
    const stat = lstatSync(path);
    if (stat.isDirectory()) yield* files(path);
    else if (stat.isFile()) yield path;
  }
}

/** Framework's copies of npm packages and of its own client code, relative to dist/. */
export const THIRD_PARTY = /^_(?:npm|node|observablehq)\//;

type Hit = Omit<Finding, "file">;

/**
 * The scanner's own code: a cached result holds only while the detectors and the reading that made it
 * are the same.
 */
const scannerCode = () =>
  ["./scanDist.ts", "../warehouse/redact.ts", "../../src/lib/parquetDelta.ts"]
    .map((f) => readFileSync(new URL(f, import.meta.url)))
    .join("\0");

function readScanCache(path: string): Map<string, Hit[]> {
  if (!existsSync(path)) return new Map();
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(path, "utf8")) as Record<string, Hit[]>));
  } catch {
    return new Map();
  }
}

/**
 * Scans every file of a built site. scope "secrets" when the config keeps personal data.
 *
 * `cacheFile`: where the findings of each file's bytes are remembered, by a hash of the bytes, how
 * they are read (text or binary) and the scope, and of the scanner's code. Most of a rebuilt site is
 * the same bytes as the last build's (dist/_npm alone is 76 of the sample's 82 MB, DuckDB-wasm among
 * it), and running the detectors over them again found the same thing at the cost of seconds; the
 * same bytes read the same way give the same findings, so a remembered file's findings are those a
 * scan would give, under its new name. Every file is still read and hashed.
 */
export function scanDist(distDir: string, {scope = "all" as Scope, cacheFile = ""} = {}): Finding[] {
  const findings: Finding[] = [];
  const cache = cacheFile ? readScanCache(cacheFile) : new Map<string, Hit[]>();
  const seen = new Map<string, Hit[]>();
  const code = cacheFile ? createHash("sha256").update(scannerCode()).digest("hex") : "";
  for (const path of files(distDir)) {
    const name = relative(distDir, path).split(sep).join("/");
    const bytes = readFileSync(path);
    const fileScope = THIRD_PARTY.test(name) ? "secrets" : scope;
    const key = createHash("sha256")
      .update(`${code}\0${fileScope}\0${TEXT_FILE.test(path) ? "text" : "binary"}\0`)
      .update(bytes)
      .digest("hex");
    const hits =
      seen.get(key) ??
      cache.get(key) ??
      scanText(name, readableText(path, bytes), fileScope).map(({detector, masked}) => ({detector, masked}));
    seen.set(key, hits);
    findings.push(...hits.map((hit) => ({file: name, ...hit})));
  }
  if (cacheFile) {
    // Only this build's files are kept, so the record does not grow with every build.
    const temp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(Object.fromEntries(seen)));
    renameSync(temp, cacheFile);
  }
  return findings;
}

/** Lines for the build log: each finding once per file, detector and mask, at most `limit` of them. */
export function formatFindings(findings: readonly Finding[], limit = 30): string[] {
  const lines = [...new Set(findings.map((f) => `  ${f.file}: ${f.detector} (${f.masked})`))];
  return lines.length > limit ? [...lines.slice(0, limit), `  … and ${lines.length - limit} more`] : lines;
}
