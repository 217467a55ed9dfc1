import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, test} from "vitest";
import {notebookPages, notebookTitle, syncNotebooks} from "../../../../loaders/explore/notebooks.js";
import {tempWorkspace} from "../../../helpers.js";

describe("syncNotebooks(workspace, src)", () => {
  test("copies the workspace's notebooks/*.md into src/notebooks, replacing what an earlier build left", () => {
    const workspace = tempWorkspace({
      "notebooks/weekly.md": "# Weekly\n",
      "notebooks/notes.txt": "not a page",
      "spans.jsonl": ""
    });
    const src = mkdtempSync(join(tmpdir(), "workbench-src-"));
    mkdirSync(join(src, "notebooks"));
    writeFileSync(join(src, "notebooks", "removed.md"), "# gone");
    expect(syncNotebooks(workspace, src)).toEqual({copied: ["weekly.md"], refused: []});
    expect(readdirSync(join(src, "notebooks"))).toEqual(["weekly.md"]);
    expect(readFileSync(join(src, "notebooks", "weekly.md"), "utf8")).toBe("# Weekly\n");
  });

  test("refuses a link (it could lead out of the workspace) and a name that is no page address, saying why", () => {
    const workspace = tempWorkspace({"notebooks/my notes.md": "# x", "outside.md": "# outside"});
    symlinkSync(join(workspace, "outside.md"), join(workspace, "notebooks", "linked.md"));
    const src = mkdtempSync(join(tmpdir(), "workbench-src-"));
    const {copied, refused} = syncNotebooks(workspace, src);
    expect(copied).toEqual([]);
    expect(refused.map((r) => r.name)).toEqual(["linked.md", "my notes.md"]);
    expect(refused[0].reason).toMatch(/not a regular file/);
    expect(refused[1].reason).toMatch(/letters, digits/);
    expect(existsSync(join(src, "notebooks"))).toBe(false);
  });

  test("a workspace without notebooks leaves no folder and no pages", () => {
    const src = mkdtempSync(join(tmpdir(), "workbench-src-"));
    expect(syncNotebooks(tempWorkspace({"spans.jsonl": ""}), src)).toEqual({copied: [], refused: []});
    expect(notebookPages(src)).toEqual([]);
  });
});

describe("notebookPages(src) and notebookTitle", () => {
  test("lists each notebook under its front-matter title, else its heading, else its file name", () => {
    const src = mkdtempSync(join(tmpdir(), "workbench-src-"));
    mkdirSync(join(src, "notebooks"));
    writeFileSync(join(src, "notebooks", "a.md"), '---\ntitle: "Slow answers"\n---\n# Other\n');
    writeFileSync(join(src, "notebooks", "b.md"), "Intro\n\n# Weekly check\n");
    writeFileSync(join(src, "notebooks", "c.md"), "no heading");
    expect(notebookPages(src)).toEqual([
      {name: "Slow answers", path: "/notebooks/a"},
      {name: "Weekly check", path: "/notebooks/b"},
      {name: "c", path: "/notebooks/c"}
    ]);
    expect(notebookTitle("---\ntitle: x\n---", "y.md")).toBe("x");
  });
});
