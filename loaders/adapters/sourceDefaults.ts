// Values a `sources` entry gives for fields a format does not carry (feature, category, suite…):
// they fill what the file left empty and never override what it says.
import type {WorkspaceFile} from "../workspace/files.js";

export function withSourceDefaults(values: Record<string, unknown>, file: WorkspaceFile): Record<string, unknown> {
  const defaults = file.source?.defaults;
  if (!defaults) return values;
  const out = {...values};
  for (const [field, value] of Object.entries(defaults))
    if (out[field] === undefined || out[field] === null || out[field] === "") out[field] = value;
  return out;
}

/** The file's name without folders and extension: the last resort for naming a suite. */
export function fileStem(file: WorkspaceFile): string {
  return file.name.replace(/^.*\//, "").replace(/\.[^.]+$/, "");
}
