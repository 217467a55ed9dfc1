// The data-quality page's headline: rows quarantined, files not read (empty files apart: they hold
// nothing to fix), and the distinct problems by file and field.
import type {quarantineReport} from "../../loaders/queries/overview.js";
import {cards} from "./cards.js";
import {fmtInt} from "./format.js";

type Quarantine = Awaited<ReturnType<typeof quarantineReport>>;

export function quarantineCards({
  total,
  notRead,
  groups
}: Pick<Quarantine, "total" | "notRead" | "groups">): HTMLElement {
  const unread = notRead.filter((f) => f.status !== "empty").length;
  return cards([
    {
      label: "Rows quarantined",
      value: fmtInt(total),
      tone: total ? "warn" : "good",
      note: total ? "fix them at the source" : "every row passed validation"
    },
    {
      label: "Files not read",
      value: fmtInt(unread),
      note: "unrecognized or unreadable",
      tone: unread ? "warn" : "good"
    },
    {label: "Empty files", value: fmtInt(notRead.length - unread)},
    {label: "Distinct problems", value: fmtInt(groups.length), note: "by file and field"}
  ]);
}
