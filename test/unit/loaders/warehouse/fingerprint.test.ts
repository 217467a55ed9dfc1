import {createHash} from "node:crypto";
import {readFileSync, statSync, utimesSync, writeFileSync} from "node:fs";
import {join, relative} from "node:path";
import {describe, expect, it} from "vitest";
import {configSchema} from "../../../../loaders/schema/config.js";
import {codeFiles, hashFile, workspaceState} from "../../../../loaders/warehouse/fingerprint.js";
import {tempWorkspace} from "../../../helpers.js";
import {projectRoot} from "../../../../loaders/workspace/config.js";

describe("codeFiles()", () => {
  it("covers the shared src/lib/ metrics and formats as well as loaders/", async () => {
    const files = (await codeFiles()).map((path) => relative(projectRoot, path).replaceAll("\\", "/"));
    expect(files).toContain("loaders/warehouse/fingerprint.ts");
    expect(files).toContain("src/lib/metrics/wilson.ts");
    expect(files).toContain("src/lib/format.ts");
    // Pages and components change no data: editing them must not rebuild the warehouse.
    expect(files.filter((f) => f.startsWith("src/") && !f.startsWith("src/lib/"))).toEqual([]);
  });
});

describe("hashFile(path)", () => {
  it("is the SHA-256 of the whole file, read in several chunks", async () => {
    // Over two 4 MB chunks of bytes that differ between chunks, and a last chunk that fills part of
    // the reused buffer: a chunk hashed twice or left out, or a buffer's stale tail, changes the digest.
    const bytes = Buffer.alloc(2 * (1 << 22) + 1_234_567);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    const path = join(tempWorkspace({"big.bin": bytes}), "big.bin");
    expect(await hashFile(path)).toBe(createHash("sha256").update(bytes).digest("hex"));
  });
});

describe("workspaceState(workspace, hashCache)", () => {
  const workspaceOf = (root: string) => ({root, config: configSchema.parse({}), configFiles: []});

  it("takes an unchanged file's hash from the cache, and hashes a rewritten file again even with its old size and mtime", async () => {
    const root = tempWorkspace({"a.jsonl": '{"x":1}\n', "b.jsonl": '{"x":2}\n'});
    const cache = join(root, ".hashes.json");
    // A file written less than 2 s before it is hashed is not remembered (it may change again in the same tick).
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const first = await workspaceState(workspaceOf(root), cache);
    expect(first.hashes.get("a.jsonl")).toBe(createHash("sha256").update('{"x":1}\n').digest("hex"));
    // A planted hash is returned as is: the file was not read again.
    const records = JSON.parse(readFileSync(cache, "utf8"));
    writeFileSync(cache, JSON.stringify({...records, "a.jsonl": {...records["a.jsonl"], hash: "planted"}}));
    expect((await workspaceState(workspaceOf(root), cache)).hashes.get("a.jsonl")).toBe("planted");
    // Same size, mtime set back: the ctime still moved, so the new bytes are hashed.
    const path = join(root, "a.jsonl");
    const {atime, mtime} = statSync(path);
    writeFileSync(path, '{"x":9}\n');
    utimesSync(path, atime, mtime);
    const after = await workspaceState(workspaceOf(root), cache);
    expect(after.hashes.get("a.jsonl")).toBe(createHash("sha256").update('{"x":9}\n').digest("hex"));
    expect(after.fingerprint).not.toBe(first.fingerprint);
  });
});
