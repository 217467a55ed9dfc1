// The pages' answer to a filter whose figures could not be fetched (src/components/filterFailure.ts):
// the figures or the message, never a rejection that fails every cell reading them. The message itself
// is HTML, checked in Chromium (test/browser: expectOneFilterFailure); here it is a stand-in.
import {afterEach, beforeEach, describe, expect, test, vi} from "vitest";
import {failureReason, loadedOrFailure, pageOnFilter} from "../../../../src/components/filterFailure.js";

const message = (error: unknown) => ({failed: failureReason(error)}) as unknown as HTMLElement;

describe("failureReason(error)", () => {
  test("is the error's message, on one line", () => {
    expect(failureReason(new TypeError("Failed to fetch"))).toBe("Failed to fetch");
    expect(failureReason(new Error("  IO Error:\n  could not read\tfile  "))).toBe("IO Error: could not read file");
  });

  test("names an error without a message by its kind, and anything else by its text", () => {
    expect(failureReason(new RangeError(""))).toBe("RangeError");
    expect(failureReason("offline")).toBe("offline");
    expect(failureReason("")).toBe("no reason given");
  });
});

describe("loadedOrFailure(load, message)", () => {
  beforeEach(() => vi.spyOn(console, "warn").mockImplementation(() => {}));
  afterEach(() => vi.restoreAllMocks());

  test("resolves to the figures when the load does", async () => {
    expect(await loadedOrFailure(async () => ({n: 3}), message)).toEqual({figures: {n: 3}, failure: null});
  });

  test("resolves to the message when the load rejects or throws, and logs the error for whoever looks", async () => {
    const dropped = new TypeError("Failed to fetch");
    expect(await loadedOrFailure(() => Promise.reject(dropped), message)).toEqual({
      figures: null,
      failure: {failed: "Failed to fetch"}
    });
    expect(
      await loadedOrFailure(() => {
        throw new Error("no cells");
      }, message)
    ).toEqual({figures: null, failure: {failed: "no cells"}});
    expect(console.warn).toHaveBeenCalledWith(dropped);
  });
});

describe("pageOnFilter(page, filtered, load, {message, noteOf})", () => {
  // The empty note (emptyState.ts nothing) is a DOM text node: a stand-in document makes one here.
  beforeEach(() => {
    vi.stubGlobal("document", {createTextNode: (text: string) => ({text})});
    vi.spyOn(console, "warn").mockImplementation(() => {});
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });
  const page = {rows: [1, 2, 3], title: "all"};

  test("is the page itself while no filter is set, without loading", async () => {
    const load = vi.fn(async () => ({rows: [1]}));
    expect(await pageOnFilter(page, false, load, {message})).toEqual({data: page, note: {text: ""}});
    expect(load).not.toHaveBeenCalled();
  });

  test("lays the slice's figures over the page", async () => {
    expect(await pageOnFilter(page, true, async () => ({rows: [2]}), {message})).toEqual({
      data: {rows: [2], title: "all"},
      note: {text: ""}
    });
  });

  test("shows the figures' own note (a sample's, on traces) where they have one, else nothing", async () => {
    const noteOf = (f: {rows: number[]; note: unknown}) => f.note as Node | null;
    const sampled = {rows: [2], note: {text: "a sample"}};
    expect(await pageOnFilter(page, true, async () => sampled, {message, noteOf})).toEqual({
      data: {...page, ...sampled},
      note: {text: "a sample"}
    });
    expect(await pageOnFilter(page, true, async () => ({rows: [2], note: null}), {message, noteOf})).toMatchObject({
      note: {text: ""}
    });
  });

  test("is null with the message when the figures could not be loaded", async () => {
    expect(await pageOnFilter(page, true, () => Promise.reject(new TypeError("Failed to fetch")), {message})).toEqual({
      data: null,
      note: {failed: "Failed to fetch"}
    });
  });
});
