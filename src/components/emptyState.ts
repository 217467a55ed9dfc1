// What a page shows when the workspace lacks its data: say so plainly, and say what would fill it. And
// what a cell shows when it has nothing to show this time: nothing, displayed.
import {html} from "npm:htl";

export function emptyState(what: string, hint: string): HTMLElement {
  return html`<div class="note empty-state" role="status">
    <p><strong>No ${what} in this workspace.</strong></p>
    <p>${hint}</p>
    <p>See <a href="./data-quality.html">Data quality</a> for every file that was read or skipped.</p>
  </div>`;
}

/**
 * An empty node, for a cell to display when it has nothing to show. Framework (1.13) clears a cell's
 * output only when the cell displays again, so a cell that re-runs and displays nothing keeps what it
 * showed before: a section whose filtered figures failed to load kept the unfiltered ones under the
 * failure message. A cell that may show nothing displays this instead.
 */
export const nothing = (): Node => document.createTextNode("");
