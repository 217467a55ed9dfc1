// A local OpenAI-compatible server for the drafting tests: the real `openai` client talks to it over
// real HTTP. Each test decides the answer from the request it received; every request is recorded.
import {createServer, type IncomingHttpHeaders} from "node:http";
import type {AddressInfo} from "node:net";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/** What the server does with a request: answer with JSON, with raw text, or never answer. */
export type Reply = {status?: number; json: unknown} | {status?: number; raw: string} | "hang";

export interface FakeOpenAI {
  /** The base URL to give the client, ending in /v1. */
  baseURL: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function fakeOpenAI(reply: (request: ReceivedRequest) => Reply | Promise<Reply>): Promise<FakeOpenAI> {
  const requests: ReceivedRequest[] = [];
  const server = createServer(async (req, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    const request = {
      method: req.method ?? "",
      path: req.url ?? "",
      headers: req.headers,
      body: text ? JSON.parse(text) : null
    };
    requests.push(request);
    const answer = await reply(request);
    if (answer === "hang") return;
    const body = "json" in answer ? JSON.stringify(answer.json) : answer.raw;
    res.writeHead(answer.status ?? 200, {"content-type": "application/json"}).end(body);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const {port} = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    }
  };
}

/** A chat completion whose message is `content`, as the API returns it. */
export function completion(content: string, model = "fake-model"): {json: unknown} {
  return {
    json: {
      id: "chatcmpl-test",
      object: "chat.completion",
      created: 1_763_600_000,
      model,
      choices: [
        {index: 0, message: {role: "assistant", content, refusal: null}, finish_reason: "stop", logprobs: null}
      ],
      usage: {prompt_tokens: 1, completion_tokens: 1, total_tokens: 2}
    }
  };
}

/** The JSON between <data> and </data> of the request's user message. */
export function dataOf(request: ReceivedRequest): any {
  const user = request.body.messages.find((m: {role: string}) => m.role === "user").content as string;
  return JSON.parse(user.slice(user.indexOf("<data>") + "<data>".length, user.indexOf("</data>")));
}

/** A model that does its job: the reference texts of the data block, with the recommendations given. */
export function faithfulAnswer(request: ReceivedRequest): string {
  const data = dataOf(request);
  return JSON.stringify({
    portfolio: {headline: data.portfolio.reference_headline, summary: data.portfolio.reference_summary},
    features: data.features.map((f: any) => ({
      feature: f.feature,
      recommendation: f.recommendation,
      headline: f.reference_headline,
      summary: f.reference_summary
    }))
  });
}
