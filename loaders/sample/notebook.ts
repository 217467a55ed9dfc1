// The sample workspace's notebook: a question no built-in page answers (whether users correct slow
// answers more often, which joins corrections to the requests they corrected), written as a PM would
// write one, in notebooks/ of the workspace (docs/explore.md).
export const SAMPLE_NOTEBOOK_NAME = "slow-answers-corrected.md";

export const SAMPLE_NOTEBOOK = `---
title: Are slow answers corrected more?
---

# Are slow answers corrected more?

A notebook of the sample workspace: it joins each user correction to the traced request it corrects
and asks whether what users do with an answer depends on how long it took. No built-in page joins
the two.

\`\`\`js
import {exploreDatabase} from "../components/exploreData.js";
// Every sql cell below runs on the site's exported tables, in this browser.
const sql = (await exploreDatabase(DuckDBClient)).sql;
\`\`\`

\`\`\`sql id=byLatency
SELECT CASE WHEN r.duration_ms < 1000 THEN '1: under 1 s'
            WHEN r.duration_ms < 3000 THEN '2: 1–3 s'
            ELSE '3: 3 s or more' END AS latency,
  count(*) AS corrections,
  avg(CASE WHEN c.action = 'accepted' THEN 1 ELSE 0 END) AS accepted_share
FROM corrections c
JOIN requests r ON r.trace_id = c.trace_id
GROUP BY latency
ORDER BY latency
\`\`\`

\`\`\`js
// The bands' names need about 90 px on the left (Plot's default 40 cut them); width is the page's.
Plot.plot({
  width,
  marginLeft: 100,
  x: {label: "share of answers accepted as they were", percent: true, domain: [0, 100]},
  y: {label: null},
  marks: [Plot.barX(byLatency, {y: "latency", x: "accepted_share", tip: true}), Plot.ruleX([0])],
})
\`\`\`

Corrections without a trace (a product that does not log its trace id) are left out of the join.
`;
