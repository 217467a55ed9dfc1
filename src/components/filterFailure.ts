// What a page shows when its filter's figures cannot be fetched (a dropped request, a server gone): one
// message at the filters that says why and what to do, and nothing in the sections that read those
// figures. Left to reject, the slice failed every cell that reads it, each with its own "Failed to
// fetch" (12 on the traces page) and none saying what would help. Fetches are remembered only once they
// succeed (src/lib/remembered.ts), so choosing the filter again fetches again (a select fires nothing for
// the value it holds: another value, then this one); the URL keeps the filter,
// so does a reload.
import {html} from "npm:htl";
import {nothing} from "./emptyState.js";

/** The error's own text, on one line ("Failed to fetch"), or what it was when it has none. */
export function failureReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.replace(/\s+/g, " ").trim();
  return line || (error instanceof Error ? error.name : "no reason given");
}

/**
 * A message at a page's inputs: what could not be loaded, why, and `then` (what to do, from its first
 * punctuation). The reason is set as text (htl), never parsed as HTML.
 */
export function failureMessage(what: string, error: unknown, then: string): HTMLElement {
  return html`<div class="warning filter-failure" role="alert"><strong>${what}</strong> (${failureReason(error)})${then}</div>`;
}

/** The message at the filters. */
export const filterFailure = (error: unknown): HTMLElement =>
  failureMessage(
    "The filtered figures could not be loaded",
    error,
    ". Choose another value of the filter, then this one again, or reload the page: the address keeps the filter."
  );

/** What a slice's load came to: its figures, or the message to show instead of them. */
export type Loaded<T> = {figures: T; failure: null} | {figures: null; failure: HTMLElement};

/** `load`'s figures, or, when it rejects, null and the message (`message`, for the unit tests). */
export async function loadedOrFailure<T>(
  load: () => Promise<T>,
  message: (error: unknown) => HTMLElement = filterFailure
): Promise<Loaded<T>> {
  try {
    return {figures: await load(), failure: null};
  } catch (error) {
    // The reader gets one line; the stack goes to the console for whoever looks into it.
    console.warn(error);
    return {figures: null, failure: message(error)};
  }
}

/**
 * The page's data on its filter: `page` itself while no filter is set, else `page` with the slice's
 * figures laid over it, or null when they could not be loaded; and the note to display at the filters:
 * the message when they could not, else the figures' own note (`noteOf`, e.g. that they count a
 * sample), else nothing (emptyState.ts). `message` is for the unit tests.
 */
export async function pageOnFilter<P extends object, F extends object>(
  page: P,
  filtered: boolean,
  load: () => Promise<F>,
  {message, noteOf}: {message?: (error: unknown) => HTMLElement; noteOf?: (figures: F) => Node | null} = {}
): Promise<{data: (P & Partial<F>) | null; note: Node}> {
  if (!filtered) return {data: page, note: nothing()};
  const loaded = await loadedOrFailure(load, message);
  if (loaded.failure) return {data: null, note: loaded.failure};
  return {data: {...page, ...loaded.figures}, note: noteOf?.(loaded.figures) ?? nothing()};
}
