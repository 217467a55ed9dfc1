// A page's filters as a set of named selects whose state lives in the URL, so a filtered view can be
// sent as a link: eval triage and bake-off use it. Each key takes one value or ALL (unfiltered); a
// value the page does not offer is ignored, as linkParams does. Written generically (keys, labels and
// options are arguments) so that the corrections page's filters and the traces and drift filters can
// share it; correctionFilters.ts still has its own copy of read/write for its fixed keys.
import {html} from "htl";
import {ALL} from "../lib/all.js";

export type Filter<K extends string> = Record<K, string>;
export type FilterChoices<K extends string> = Record<K, readonly string[]>;

export const noFilter = <K extends string>(keys: readonly K[]): Filter<K> =>
  Object.fromEntries(keys.map((k) => [k, ALL])) as Filter<K>;

export const isFilterSet = <K extends string>(filter: Filter<K>): boolean =>
  Object.values<string>(filter).some((v) => v !== ALL);

/** The filter a URL asks for; a value not among the choices leaves its key unfiltered. */
export function readFilterParams<K extends string>(
  keys: readonly K[],
  search: string,
  choices: FilterChoices<K>
): Filter<K> {
  const params = new URLSearchParams(search);
  const filter = noFilter(keys);
  for (const key of keys) {
    const wanted = params.get(key);
    if (wanted !== null && choices[key].includes(wanted)) filter[key] = wanted;
  }
  return filter;
}

/** The URL's query with the filter written in (unfiltered keys removed), other parameters kept. */
export function writeFilterParams<K extends string>(keys: readonly K[], filter: Filter<K>, search: string): string {
  const params = new URLSearchParams(search);
  for (const key of keys) {
    if (filter[key] === ALL) params.delete(key);
    else params.set(key, filter[key]);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The part of a download's file name that says which slice it holds: "-category-billing", or "". */
export const filterNameSuffix = <K extends string>(keys: readonly K[], filter: Filter<K>): string =>
  keys
    .filter((k) => filter[k] !== ALL)
    .map((k) => `-${k}-${filter[k].replace(/[^\w.-]+/g, "_")}`)
    .join("");

/**
 * The filter's selects (the page's Inputs, which components cannot import), set from the URL; its
 * value is the whole filter. A key with no choices gets no select. Each change writes the filter back
 * into the URL with replaceState, so reloading or sending the address keeps the slice.
 */
export function filterParamsForm<K extends string>(
  inputs: any,
  {
    keys,
    labels,
    choices,
    id,
    format = {}
  }: {
    keys: readonly K[];
    labels: Record<K, string>;
    choices: FilterChoices<K>;
    id: string;
    format?: Partial<Record<K, (value: string) => string>>;
  },
  search = location.search
): HTMLElement & {value: Filter<K>} {
  const initial = readFilterParams(keys, search, choices);
  const form = inputs.form(
    Object.fromEntries(
      keys
        .filter((k) => choices[k].length > 0)
        .map((k) => [
          k,
          inputs.select([ALL, ...choices[k]], {
            label: labels[k],
            value: initial[k],
            format: (v: string) => (v === ALL ? "all" : (format[k]?.(v) ?? v))
          })
        ])
    )
  );
  const wrapper = html`<div id=${id} class="page-filters">${form}</div>` as HTMLElement & {value: Filter<K>};
  Object.defineProperty(wrapper, "value", {get: (): Filter<K> => ({...noFilter(keys), ...form.value})});
  wrapper.addEventListener("input", () => {
    const query = writeFilterParams(keys, wrapper.value, location.search);
    history.replaceState(history.state, "", `${location.pathname}${query}${location.hash}`);
  });
  return wrapper;
}
