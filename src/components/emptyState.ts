// What a page shows when the workspace lacks its data: say so plainly, and say what would fill it.
import {html} from "npm:htl";

export function emptyState(what: string, hint: string): HTMLElement {
  return html`<div class="note empty-state" role="status">
    <p><strong>No ${what} in this workspace.</strong></p>
    <p>${hint}</p>
    <p>See <a href="./data-quality.html">Data quality</a> for every file that was read or skipped.</p>
  </div>`;
}
