import {describe, expect, test} from "vitest";
import {finishReason, messageText, spanFacts, spanKind} from "../../../../loaders/adapters/spanAttributes.js";

describe("spanFacts(attributes)", () => {
  test("prefers the current GenAI names and falls back to the deprecated ones", () => {
    expect(
      spanFacts({
        "gen_ai.provider.name": "openai",
        "gen_ai.system": "old",
        "gen_ai.usage.input_tokens": 5,
        "gen_ai.usage.prompt_tokens": 9
      })
    ).toMatchObject({provider: "openai", input_tokens: 5});
    expect(
      spanFacts({"gen_ai.system": "openai", "gen_ai.usage.prompt_tokens": "9", "gen_ai.usage.completion_tokens": "4"})
    ).toMatchObject({provider: "openai", input_tokens: 9, output_tokens: 4});
  });

  test("takes the request model over the dated response model, so the price table matches", () => {
    expect(spanFacts({"gen_ai.request.model": "gpt-4.1", "gen_ai.response.model": "gpt-4.1-2025-04-14"}).model).toBe(
      "gpt-4.1"
    );
  });

  test("reads the workbench's app.* keys and user.segment", () => {
    expect(
      spanFacts({
        "app.feature": "support-chat",
        "user.segment": "smb",
        "app.category": "billing",
        "app.prompt_version": "chat-v7",
        "app.input_chars": "812"
      })
    ).toEqual({
      feature: "support-chat",
      segment: "smb",
      category: "billing",
      prompt_version: "chat-v7",
      input_chars: 812
    });
  });

  test("reads the experiment arm from experiment.* keys, else OpenTelemetry's feature_flag.* (current name over the earlier one)", () => {
    expect(spanFacts({"experiment.name": "draft-tone", "experiment.variant": "treatment"})).toEqual({
      experiment: "draft-tone",
      variant: "treatment"
    });
    expect(
      spanFacts({
        "feature_flag.key": "draft-tone",
        "feature_flag.result.variant": "control",
        "feature_flag.variant": "old"
      })
    ).toEqual({experiment: "draft-tone", variant: "control"});
    expect(spanFacts({"feature_flag.key": "draft-tone", "feature_flag.variant": "treatment"})).toEqual({
      experiment: "draft-tone",
      variant: "treatment"
    });
  });
});

describe("spanKind(attributes)", () => {
  test.each([
    [{"openinference.span.kind": "RETRIEVER"}, "retrieval"],
    [{"openinference.span.kind": "llm"}, "llm"],
    [{"gen_ai.operation.name": "execute_tool"}, "tool"],
    [{"gen_ai.operation.name": "embeddings"}, "embedding"],
    [{"gen_ai.operation.name": "invoke_agent"}, "agent"],
    [{"ai.operationId": "ai.streamText.doStream"}, "llm"],
    [{"ai.operationId": "ai.streamText"}, "chain"],
    [{"gen_ai.request.model": "gpt-4.1"}, "llm"],
    [{"http.method": "POST"}, undefined]
  ])("%j → %s", (attributes, kind) => {
    expect(spanKind(attributes)).toBe(kind);
  });
});

describe("finishReason(value)", () => {
  test("normalizes provider vocabularies to stop, length and content_filter", () => {
    expect(
      ["max_tokens", "MAX_TOKENS", "max_output_tokens", "SAFETY", "refusal", "end_turn", "STOP", "tool_calls"].map(
        (r) => finishReason(r)
      )
    ).toEqual(["length", "length", "length", "content_filter", "content_filter", "stop", "stop", "tool_calls"]);
  });

  test("summarizes several choices by the one that matters most", () => {
    expect(finishReason(["stop", "length"])).toBe("length");
    expect(finishReason('["length","content_filter"]')).toBe("content_filter");
    expect(finishReason([])).toBeUndefined();
  });
});

describe("messageText(output)", () => {
  test.each([
    ['"plain"', "plain"],
    ['{"index":0,"message":{"role":"assistant","content":"hi"}}', "hi"],
    [
      '{"content":[{"type":"text","text":"a"},{"type":"tool_use","name":"x"},{"type":"text","text":"b"}],"role":"assistant"}',
      "a\nb"
    ],
    ['{"choices":[{"message":{"content":"c"},"finish_reason":"stop"}]}', "c"],
    ['{"output":[{"type":"function_call"},{"type":"message","content":[{"type":"output_text","text":"d"}]}]}', "d"],
    ["[1] not JSON after all", "[1] not JSON after all"]
  ])("%s → %j", (output, text) => {
    expect(messageText(output)).toBe(text);
  });
});
