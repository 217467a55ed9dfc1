// The structured answer a model must give when it drafts the brief's prose: a headline and a summary
// for the portfolio and for each feature, and each feature's recommendation restated. Sent to the
// server as the response's JSON schema and checked with zod on the way back.
import {z} from "zod";

const text = (max: number) => z.string().min(1).max(max);

export const draftSchema = z.strictObject({
  portfolio: z.strictObject({headline: text(400), summary: text(1500)}),
  features: z
    .array(
      z.strictObject({
        feature: z.string().min(1),
        recommendation: z.enum(["go", "hold", "investigate", "none"]),
        headline: text(400),
        summary: text(1500)
      })
    )
    .min(1)
});

export type DraftResponse = z.infer<typeof draftSchema>;

/** The schema as the OpenAI API's response_format wants it (strict: every key required, no others). */
export function draftJsonSchema(): Record<string, unknown> {
  const {$schema: _ignored, ...schema} = z.toJSONSchema(draftSchema) as Record<string, unknown>;
  return schema;
}
