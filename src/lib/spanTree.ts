// The span tree of one trace, shared by the traces query (loaders/queries/traces.ts) and the case
// view in the browser, which indent the same waterfall.

interface TreeSpan {
  span_id: string;
  parent_span_id: string | null;
  depth: number;
}

/** Depth in the span tree, for indenting the waterfall; a span whose parent is not shown sits at the top. */
export function setDepths(spans: TreeSpan[]): void {
  const byId = new Map(spans.map((s) => [s.span_id, s]));
  const depthOf = (s: TreeSpan, seen = new Set<string>()): number => {
    const parent = s.parent_span_id ? byId.get(s.parent_span_id) : undefined;
    if (!parent || seen.has(s.span_id)) return 0;
    seen.add(s.span_id);
    return depthOf(parent, seen) + 1;
  };
  for (const s of spans) s.depth = depthOf(s);
}
