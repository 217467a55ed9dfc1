import {mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative, sep} from "node:path";
import {parquetMetadata} from "hyparquet";
import {describe, expect, test} from "vitest";
import {formatFindings, readableText, scanDist, scanText, unescapeText} from "../../../../loaders/hermetic/scanDist.js";
import {openDatabase, quotedString} from "../../../../loaders/warehouse/duckdb.js";

function site(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), "workbench-scan-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, ".."), {recursive: true});
    writeFileSync(join(root, name), content);
  }
  return root;
}

const clean = {
  "index.html":
    "<h1>Overview</h1><p>p95 latency 1,234.5 ms on 2026-11-20T10:00:00Z; gpt-4o-mini-2024-07-18 v1.2.3.4</p>",
  "_file/data/overview.3f2a.json": JSON.stringify({
    rate: 0.5766666666666666,
    trace: "4bf92f3577b34da6a3ce929d0e0e4736",
    order: "ORD-2024-000123"
  }),
  "_npm/d3@7.9.0/a51cdd8b.js": "B(-.9787684*t+1.9161415*e+.033454*r)"
};

describe("scanDist(distDir, {cacheFile}): findings remembered by the bytes scanned", () => {
  const secret = 'const k = "AKIAIOSFODNN7EXAMPLE";';
  const cached = (dist: string, cacheFile: string, scope: "all" | "secrets" = "all") =>
    scanDist(dist, {scope, cacheFile});

  test("gives what a scan without the cache gives, on the first build and on the next", () => {
    const files = {...clean, "_import/a.1.js": secret, "safety.html": "<td>jane@example.com</td>"};
    const cacheFile = join(site({}), "scan-cache.json");
    const expected = scanDist(site(files));
    expect(expected.map((f) => f.detector).sort()).toEqual(["aws access key", "email"]);
    expect(cached(site(files), cacheFile)).toEqual(expected);
    expect(cached(site(files), cacheFile)).toEqual(expected);
  });

  test("reuses a remembered file's findings under its new name, and scans changed bytes afresh", () => {
    const cacheFile = join(site({}), "scan-cache.json");
    cached(site({...clean, "_import/a.1.js": secret}), cacheFile);
    // The record is changed by hand: what a reused entry gives shows that the bytes were not scanned again.
    const record = JSON.parse(readFileSync(cacheFile, "utf8")) as Record<string, {detector: string}[]>;
    const key = Object.keys(record).find((k) => record[k].length === 1)!;
    record[key] = [{detector: "remembered", masked: "x"} as never];
    writeFileSync(cacheFile, JSON.stringify(record));
    expect(cached(site({...clean, "_import/a.2.js": secret}), cacheFile)).toEqual([
      {file: "_import/a.2.js", detector: "remembered", masked: "x"}
    ]);
    // Other bytes under the old name, or the same bytes read in another scope, are scanned.
    expect(cached(site({...clean, "_import/a.2.js": `${secret} `}), cacheFile).map((f) => f.detector)).toEqual([
      "aws access key"
    ]);
    const mail = {...clean, "safety.html": "<td>jane@example.com</td>"};
    expect(cached(site(mail), cacheFile, "all").map((f) => f.detector)).toEqual(["email"]);
    expect(cached(site(mail), cacheFile, "secrets")).toEqual([]);
  });

  test("a record that is not JSON is ignored and replaced", () => {
    const cacheFile = join(site({}), "scan-cache.json");
    writeFileSync(cacheFile, "{not json");
    expect(cached(site({...clean, "_import/a.1.js": secret}), cacheFile).map((f) => f.detector)).toEqual([
      "aws access key"
    ]);
    expect(Object.keys(JSON.parse(readFileSync(cacheFile, "utf8")))).toHaveLength(4);
  });
});

describe("scanDist(distDir)", () => {
  test("finds nothing in a clean site", () => {
    expect(scanDist(site(clean))).toEqual([]);
  });

  test("names the file and the detector of each secret, masked, in every kind of file and folder", () => {
    const arrow = Buffer.concat([
      Buffer.from([0xff, 0xff, 0xff, 0xff, 0x10, 0x00]),
      Buffer.from("ARROW1\0\0jane.doe@example.com\0\0"),
      Buffer.from([0x00, 0x01])
    ]);
    const dist = site({
      ...clean,
      "safety.html": "<td>Contact jane&#64;example&#46;com</td>",
      "_file/data/brief.9a8b.json": JSON.stringify({
        note: "key -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"
      }),
      "_import/components/table.1c2d.js": 'const k = "\\u0041KIAIOSFODNN7EXAMPLE";',
      "_npm/lib@1.0.0/index.js": "// card 4111 1111 1111 1111",
      "_file/data/cases.csv": "case_id,reason\nc1,call +44 20 7946 0958\n",
      "_file/data/cases.arrow": arrow
    });
    const findings = scanDist(dist);
    expect(findings).toEqual([
      {file: "_file/data/brief.9a8b.json", detector: "private key", masked: "--************--"},
      {file: "_file/data/cases.arrow", detector: "email", masked: "ja************om"},
      {file: "_file/data/cases.csv", detector: "phone", masked: "+4************58"},
      {file: "_import/components/table.1c2d.js", detector: "aws access key", masked: "AK************LE"},
      {file: "_npm/lib@1.0.0/index.js", detector: "card number", masked: "41************11"},
      {file: "safety.html", detector: "email", masked: "ja************om"}
    ]);
    const shown = formatFindings(findings).join("\n");
    for (const secret of [
      "jane.doe@example.com",
      "jane@example.com",
      "AKIAIOSFODNN7EXAMPLE",
      "4111 1111 1111 1111",
      "+44 20 7946 0958",
      "MIIEpAIBAAKCAQEA"
    ])
      expect(shown).not.toContain(secret);
  });

  test("with scope secrets reports credentials but not personal data", () => {
    const dist = site({"a.html": "jane@example.com AKIAIOSFODNN7EXAMPLE"});
    expect(scanDist(dist, {scope: "secrets"}).map((f) => f.detector)).toEqual(["aws access key"]);
  });

  test("in Framework's copies of npm packages reports credentials but not personal data", () => {
    const library = "// (c) emn178@gmail.com; binds 127.0.0.1; AKIAIOSFODNN7EXAMPLE";
    const dist = site({
      "_npm/lib@1.0.0/worker.js": library,
      "_node/lib@1.0.0/index.js": library,
      "_observablehq/client.js": library,
      "_import/components/x.js": library
    });
    expect(scanDist(dist).map((f) => `${f.file}: ${f.detector}`)).toEqual([
      "_import/components/x.js: aws access key",
      "_import/components/x.js: email",
      "_import/components/x.js: ipv4",
      "_node/lib@1.0.0/index.js: aws access key",
      "_npm/lib@1.0.0/worker.js: aws access key",
      "_observablehq/client.js: aws access key"
    ]);
  });

  test("does not follow a symlink out of the site", () => {
    const outside = site({"secret.txt": "AKIAIOSFODNN7EXAMPLE"});
    const dist = site(clean);
    symlinkSync(join(outside, "secret.txt"), join(dist, "linked.txt"));
    expect(scanDist(dist)).toEqual([]);
  });
});

describe("unescapeText(text) and readableText(path, bytes)", () => {
  test("undo JSON, JavaScript and HTML escapes, and read binaries as their printable runs", () => {
    expect(unescapeText("a\\u0040b \\x41 &#x40; &amp; &commat; line\\nnext")).toBe("a@b A @ & @ line\nnext");
    expect(readableText("x.parquet", Buffer.from([1, 2, 0x61, 0x40, 0x62, 0x2e, 0x69, 0x6f, 0, 0x7a]))).toBe("a@b.io");
  });
});

describe.each(["v1", "v2"])("scanDist over Parquet %s files: span ids that are all digits", (version) => {
  // Written as the Explore export writes its files (uncompressed, loaders/explore/export.ts), so the
  // scan reads each value as a run of its own. 4111111111111111 and 5555555555554444 pass the card
  // checks (issuer prefix, Luhn); as span ids they are 16 hex digits that happen to hold no letter.
  // In v2 DuckDB writes distinct text DELTA_LENGTH_BYTE_ARRAY, its values back to back.
  const parquet = async (columns: Record<string, string[]>): Promise<string> => {
    const dist = site({});
    const db = await openDatabase();
    try {
      const names = Object.keys(columns);
      const rows = columns[names[0]].map((_, i) => `(${names.map((n) => quotedString(columns[n][i])).join(", ")})`);
      await db.run(`CREATE TABLE t AS SELECT * FROM (VALUES ${rows.join(", ")}) AS v(${names.join(", ")})`);
      await db.run(
        `COPY t TO ${quotedString(join(dist, "spans.parquet"))} (FORMAT parquet, COMPRESSION uncompressed, PARQUET_VERSION ${version})`
      );
      if (version === "v2") {
        const data = readFileSync(join(dist, "spans.parquet"));
        const {encodings} = parquetMetadata(data.buffer.slice(data.byteOffset, data.byteOffset + data.length))
          .row_groups[0].columns[0].meta_data!;
        expect(encodings).toContain("DELTA_LENGTH_BYTE_ARRAY");
      }
    } finally {
      db.close();
    }
    return dist;
  };
  const spanIds = ["00f067aa0ba902b7", "4111111111111111", "b7ad6b7169203331", "53995c3f42cd8ad8"];
  const traceIds = ["4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c"];

  test("an all-digit span id among lettered ids is an id, not a card number", async () => {
    const dist = await parquet({span_id: spanIds, trace_id: [...traceIds, ...traceIds]});
    expect(scanDist(dist)).toEqual([]);
  });

  test("a card number in a text column, or a column of card numbers, is still found", async () => {
    const beside = await parquet({span_id: spanIds, note: ["ok", "4111111111111111", "fine", "done"]});
    // Found wherever the file holds the value: its page, and the column's min or max statistics.
    const masks = (dist: string) => [...new Set(scanDist(dist).map((f) => f.masked))].sort();
    expect(masks(beside)).toEqual(["41************11"]);
    const cards = await parquet({card: ["4111111111111111", "5555555555554444"]});
    expect(masks(cards)).toEqual(["41************11", "55************44"]);
  });

  test("a card number among other distinct values, not the column's least or greatest, is found", async () => {
    // 40 values: in v2 DuckDB writes them DELTA_LENGTH_BYTE_ARRAY, back to back ("…note-194111111111111111note-21…").
    const notes = Array.from({length: 40}, (_, i) => (i === 20 ? "4111111111111111" : `note-${i}`));
    const dist = await parquet({note: ["0-first", ...notes, "zz-last"]});
    expect([...new Set(scanDist(dist).map((f) => f.masked))]).toEqual(["41************11"]);
  });
});

describe("scanDist over Parquet files: number columns", () => {
  // Two doubles whose eight bytes each spell "jane@exa" and "mple.com": what chance did in the 1M-result
  // export, where random doubles' bytes read as an email. As text, the same address is found.
  const spelled = ["jane@exa", "mple.com"].map((t) => Buffer.from(t, "latin1").readDoubleLE(0));

  test("the bytes of numbers are not read as text; the same characters in a text column are", async () => {
    const dist = site({});
    const db = await openDatabase();
    try {
      await db.run(
        `CREATE TABLE t AS SELECT * FROM (VALUES (${spelled[0]}::DOUBLE, 'ok'), (${spelled[1]}::DOUBLE, 'ok')) AS v(x, note)`
      );
      await db.run(
        `COPY t TO ${quotedString(join(dist, "numbers.parquet"))} (FORMAT parquet, COMPRESSION uncompressed)`
      );
      await db.run(
        `COPY (SELECT 'jane@example.com' AS note) TO ${quotedString(join(dist, "text.parquet"))} (FORMAT parquet, COMPRESSION uncompressed)`
      );
    } finally {
      db.close();
    }
    // The bytes are in the file: read as any binary, they give the address.
    expect(
      scanText("numbers.bin", readableText("numbers.bin", readFileSync(join(dist, "numbers.parquet"))))
    ).toHaveLength(1);
    expect(new Set(scanDist(dist).map((f) => `${f.file} ${f.detector}`))).toEqual(new Set(["text.parquet email"]));
  });
});

describe("formatFindings(findings, limit)", () => {
  test("lists each file, detector and mask once, and counts the rest", () => {
    const findings = scanText("a.html", "AKIAIOSFODNN7EXAMPLE AKIAIOSFODNN7EXAMPLE jane@example.com");
    expect(formatFindings(findings)).toEqual([
      "  a.html: aws access key (AK************LE)",
      "  a.html: email (ja************om)"
    ]);
    expect(formatFindings(findings, 1)).toEqual(["  a.html: aws access key (AK************LE)", "  … and 1 more"]);
  });
});

describe("scanDist over files real tools wrote (test/fixtures/real)", () => {
  // An independent reading of the raw files: the tokens a person would call an email or an IPv4
  // address, and Langfuse's public keys. The detectors must find exactly these, and nothing in the
  // timestamps, trace ids, versions, model names, costs and scores that fill the rest.
  const root = join(__dirname, "..", "..", "..", "fixtures", "real");
  // URLs and host:port split too (http://127.0.0.1:8787/v1 holds an address).
  const tokens = (text: string) => text.replace(/\\[nrt"]/g, " ").split(/[\s"'<>(),;\\/]+|:(?=\d|\/)/);
  const expected = new Map<string, number>();
  for (const entry of readdirSync(root, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue;
    const file = relative(root, join(entry.parentPath, entry.name)).split(sep).join("/");
    const words = tokens(readFileSync(join(entry.parentPath, entry.name), "latin1"));
    const count = (detector: string, test: (w: string) => boolean) => {
      const n = words.filter(test).length;
      if (n) expected.set(`${file}\t${detector}`, n);
    };
    count("email", (w) => /^[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}$/i.test(w));
    count("ipv4", (w) => /^\d{1,3}(\.\d{1,3}){3}$/.test(w));
    count("api key", (w) => /^pk-lf-[\w-]{16,}$/.test(w));
  }

  test("finds the emails, addresses and keys an independent reading finds, and nothing else", () => {
    const found = new Map<string, number>();
    for (const f of scanDist(root))
      found.set(`${f.file}\t${f.detector}`, (found.get(`${f.file}\t${f.detector}`) ?? 0) + 1);
    expect(Object.fromEntries(found)).toEqual(Object.fromEntries(expected));
    expect(expected.size).toBeGreaterThan(3);
  });
});
