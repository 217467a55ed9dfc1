// The filters every page shares: their state in the URL (so a filtered view can be sent), the form that
// sets them, and the part of a download's name that says which slice it holds (the SQL that keeps the
// filtered rows of an exported table is in filterSql.ts, which only the slices load). A page names its filters by the options it offers (key → the
// values the build counted, in form order); `from` and `to` are a window of time buckets (their
// labels are the buckets' starts). ALL leaves a filter unset. This module is light on purpose: pages
// import it always, and load DuckDB-wasm only once a filter is set.
import {html} from "npm:htl";
import {ALL} from "../lib/all.js";

/** Key → the chosen value, ALL where unset. */
export type PageFilter = Record<string, string>;
/** A page's filter over its own fixed keys (eval triage's, the bake-off's). */
export type Filter<K extends string> = Record<K, string>;
/** Key → the values the page offers (the build's, so the URL cannot ask for one it does not have). */
export type FilterOptions = Readonly<Record<string, readonly string[]>>;

/** The unset filter of the given keys. */
export const noFilter = <K extends string>(keys: Iterable<K>): Filter<K> =>
  Object.fromEntries([...keys].map((k) => [k, ALL])) as Filter<K>;

export const isFiltered = (filter: PageFilter): boolean => Object.values(filter).some((v) => v !== ALL);

/** The filter a URL asks for; a key or value the page does not offer is ignored, as linkParams does. */
export function readFilter(search: string, options: FilterOptions): PageFilter {
  const params = new URLSearchParams(search);
  const filter = noFilter(Object.keys(options));
  for (const key of Object.keys(options)) {
    const wanted = params.get(key);
    if (wanted !== null && options[key].includes(wanted)) filter[key] = wanted;
  }
  return filter;
}

/** The URL's query with the filter written in (unset keys removed), other parameters kept. */
export function writeFilter(filter: PageFilter, search: string): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(filter)) {
    if (value === ALL) params.delete(key);
    else params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The part of a download's file name that says which slice it holds: "-segment-enterprise", or "". */
export const filterSuffix = (filter: PageFilter): string =>
  Object.entries(filter)
    .filter(([, v]) => v !== ALL)
    .map(([k, v]) => `-${k}-${v.replace(/[^\w.-]+/g, "_")}`)
    .join("");

/** How the form names each filter; a key without a label shows as itself. */
export const FILTER_LABELS: Readonly<Record<string, string>> = {
  segment: "Segment",
  category: "Category",
  model: "Model",
  prompt_version: "Prompt version",
  feature: "Feature",
  from: "From week",
  to: "To week"
};

/**
 * The filter inputs (the page's Inputs, which components cannot import), set from the URL; its value
 * is the whole filter. Each change writes the filter back into the URL. A key with nothing to offer
 * gets no input (and stays unset), so a workspace without segments shows no segment filter.
 */
export function filterForm(
  inputs: any,
  options: FilterOptions,
  {
    id,
    labels = FILTER_LABELS,
    search = location.search
  }: {id: string; labels?: Readonly<Record<string, string>>; search?: string}
): HTMLElement & {value: PageFilter} {
  const initial = readFilter(search, options);
  const offered = Object.keys(options).filter((k) => options[k].length > 0);
  const form = inputs.form(
    Object.fromEntries(
      offered.map((k) => [
        k,
        inputs.select([ALL, ...options[k]], {
          label: labels[k] ?? k,
          value: initial[k],
          format: (v: string) => (v === ALL ? "all" : v)
        })
      ])
    )
  );
  const wrapper = html`<div id=${id} class="page-filters">${form}</div>` as HTMLElement & {value: PageFilter};
  Object.defineProperty(wrapper, "value", {
    get: (): PageFilter => ({...noFilter(Object.keys(options)), ...form.value})
  });
  // Inputs' select turns its "change" into a second "input" unless the first came from the user (a
  // script's change, as in the benches and tests, sends both), and the page would recompute its slice
  // twice. This listener comes before the page's (view's), so it stops an input that changed nothing:
  // one whose filter the URL already holds, as the first input wrote it.
  wrapper.addEventListener("input", (event) => {
    const next = writeFilter(wrapper.value, location.search);
    if (next === location.search) return event.stopImmediatePropagation();
    history.replaceState(history.state, "", `${location.pathname}${next}${location.hash}`);
  });
  return wrapper;
}
