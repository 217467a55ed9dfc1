// A table of prose (a "why", an output excerpt) cannot fit a phone's width as columns, nor can a table of
// many figures without hiding the ones past the edge (the brief's verdicts, the traces' costs): below
// 560 px style.css (table.stacked) shows each row as a block, each cell under its column's heading.

/**
 * Marks table to stack its rows on a phone and gives each body and footer cell a data-label, its
 * column's heading (colspans counted), which the stacked layout prints before the cell. A cell under an
 * empty heading, or across several columns, gets no label. Returns table, so a component can wrap its
 * html`` in this call.
 */
export function stackOnPhone<T extends HTMLElement>(table: T): T {
  const headings: string[] = [];
  for (const th of table.querySelectorAll("thead tr:last-child th"))
    for (let i = 0; i < (th as HTMLTableCellElement).colSpan; i++) headings.push(headingText(th));
  table.classList.add("stacked");
  for (const row of table.querySelectorAll("tbody tr, tfoot tr")) {
    let column = 0;
    for (const cell of (row as HTMLTableRowElement).cells) {
      // A cell across several columns (the classifiers' "accuracy" under precision and recall) says
      // what it is itself; the first column's name would mislabel it.
      const label = cell.colSpan === 1 ? headings[column] : undefined;
      if (label) cell.dataset.label = label;
      column += cell.colSpan;
    }
  }
  return table;
}

// A heading's parts joined by spaces: the launch gate's "Baseline" carries the baseline's name in a
// <div> under it, which textContent alone would run into the word ("Baselinegpt-4.1").
const headingText = (th: Element): string =>
  [...th.childNodes]
    .map((node) => node.textContent?.trim() ?? "")
    .filter(Boolean)
    .join(" ");
