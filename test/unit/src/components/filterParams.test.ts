import {describe, expect, test} from "vitest";
import {ALL} from "../../../../src/lib/all.js";
import {
  filterNameSuffix,
  isFilterSet,
  noFilter,
  readFilterParams,
  writeFilterParams
} from "../../../../src/components/filterParams.js";

const keys = ["category", "tag"] as const;
const choices = {category: ["billing", "a&b"], tag: ["long-input"]};

describe("readFilterParams and writeFilterParams", () => {
  test("round-trip a filter through the URL and keep the other parameters", () => {
    const filter = {category: "a&b", tag: "long-input"};
    const search = writeFilterParams(keys, filter, "?suite=s&category=billing");
    expect(search).toBe("?suite=s&category=a%26b&tag=long-input");
    expect(readFilterParams(keys, search, choices)).toEqual(filter);
    expect(writeFilterParams(keys, noFilter(keys), search)).toBe("?suite=s");
    expect(writeFilterParams(keys, noFilter(keys), "?category=billing")).toBe("");
  });

  test("ignore a value the page does not offer", () => {
    expect(readFilterParams(keys, "?category=nope&tag=long-input", choices)).toEqual({
      category: ALL,
      tag: "long-input"
    });
  });
});

describe("isFilterSet and filterNameSuffix", () => {
  test("tell a filtered view from the unfiltered one and name it in a file name", () => {
    expect(isFilterSet(noFilter(keys))).toBe(false);
    expect(isFilterSet({category: "billing", tag: ALL})).toBe(true);
    expect(filterNameSuffix(keys, {category: "a&b", tag: ALL})).toBe("-category-a_b");
  });
});
