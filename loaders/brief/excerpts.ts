// Text quoted from production that a drafting model may read for context: the most heavily edited
// outputs per feature (corrections.ts) and the open flagged outputs (safety.ts), as those pages show
// them (redacted and cut at ingest). It is data: prompt.ts fences it, validate.ts rejects a draft that
// repeats it.
import type {BriefInputs} from "./inputs.js";
import type {Excerpt} from "./prompt.js";

const PER_FEATURE = 3;

type Example = {feature: string; category: string | null; edited_text: string | null};
type OpenFlag = {feature: string | null; category: string; severity: string; excerpt: string | null};

export function excerptsOf(inputs: BriefInputs): Excerpt[] {
  const out: Excerpt[] = [];
  const count = new Map<string, number>();
  const take = (key: string) => (count.set(key, (count.get(key) ?? 0) + 1), count.get(key)! <= PER_FEATURE);
  for (const e of inputs.corrections.examples as unknown as Example[]) {
    if (e.edited_text && take(`c\u0000${e.feature}`))
      out.push({
        feature: e.feature,
        source: `user correction, edited text${e.category ? ` (${e.category})` : ""}`,
        text: e.edited_text
      });
  }
  for (const f of inputs.safety.open.rows as unknown as OpenFlag[]) {
    if (f.excerpt && f.feature && take(`f\u0000${f.feature}`))
      out.push({feature: f.feature, source: `flagged output (${f.category}, ${f.severity})`, text: f.excerpt});
  }
  return out;
}
