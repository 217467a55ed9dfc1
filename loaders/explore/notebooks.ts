// Workspace notebooks: every `notebooks/<name>.md` of the workspace becomes the page
// /notebooks/<name> of the site, listed in the sidebar under "Notebooks". A notebook is the workspace
// owner's code, trusted like workbench.config.json (docs/explore.md): its JavaScript runs in the
// reader's browser as the built-in pages' does. Files are copied into the Framework root at each build,
// so src/notebooks/ always holds exactly the workspace's notebooks.
import {copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {join} from "node:path";

export const NOTEBOOKS_FOLDER = "notebooks";

/** A page name Framework serves as it is: no spaces, dots or characters a URL would escape. */
const pageName = /^[A-Za-z0-9][A-Za-z0-9_-]*\.md$/;

export interface NotebookSync {
  copied: string[];
  /** Files of notebooks/ not copied, each with the reason. */
  refused: {name: string; reason: string}[];
}

/** Replaces srcRoot/notebooks with the workspace's notebooks/*.md (regular files only, never links). */
export function syncNotebooks(workspaceRoot: string, srcRoot: string): NotebookSync {
  const target = join(srcRoot, NOTEBOOKS_FOLDER);
  rmSync(target, {recursive: true, force: true});
  const source = join(workspaceRoot, NOTEBOOKS_FOLDER);
  const result: NotebookSync = {copied: [], refused: []};
  if (!existsSync(source) || !lstatSync(source).isDirectory()) return result;
  for (const name of readdirSync(source).sort()) {
    const stats = lstatSync(join(source, name));
    if (!name.endsWith(".md")) continue;
    if (!stats.isFile())
      result.refused.push({
        name,
        reason: "not a regular file (a notebook is copied only as a file of the workspace, never through a link)"
      });
    else if (!pageName.test(name))
      result.refused.push({name, reason: "its name must be letters, digits, - and _ before .md, to be a page address"});
    else result.copied.push(name);
  }
  if (result.copied.length > 0) mkdirSync(target, {recursive: true});
  for (const name of result.copied) copyFileSync(join(source, name), join(target, name));
  return result;
}

/** The notebook's title: its front matter's title, else its first heading, else its file name. */
export function notebookTitle(markdown: string, name: string): string {
  const front = /^---\n([\s\S]*?)\n---/.exec(markdown)?.[1];
  const title = front && /^title:\s*["']?(.+?)["']?\s*$/m.exec(front)?.[1];
  return title || /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() || name.replace(/\.md$/, "");
}

/** The sidebar entries of the notebooks copied into srcRoot, by file name. */
export function notebookPages(srcRoot: string): {name: string; path: string}[] {
  const folder = join(srcRoot, NOTEBOOKS_FOLDER);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => pageName.test(name))
    .sort()
    .map((name) => ({
      name: notebookTitle(readFileSync(join(folder, name), "utf8"), name),
      path: `/${NOTEBOOKS_FOLDER}/${name.replace(/\.md$/, "")}`
    }));
}
