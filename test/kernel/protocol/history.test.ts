// History queries (tail, range, glob search with unique and n) as IPython answers them.
import { describe, expect, it } from "vitest";
import { globToRegExp, History } from "../../../kernel/protocol/history.js";

function filled(): History {
  const history = new History();
  ["let a = 1", "a + 1", "console.log(a)", "a + 1", "let b = 2"].forEach((input, i) => history.record(i + 1, input, `out${i + 1}`));
  return history;
}

describe("history", () => {
  it("tail returns the last n entries with session and line numbers", () => {
    expect(filled().query({ hist_access_type: "tail", n: 2 })).toEqual([
      [1, 4, "a + 1"],
      [1, 5, "let b = 2"],
    ]);
  });

  it("includes outputs when asked", () => {
    expect(filled().query({ hist_access_type: "tail", n: 1, output: true })).toEqual([[1, 5, ["let b = 2", "out5"]]]);
  });

  it("range selects [start, stop) of the current session (0 means current)", () => {
    expect(filled().query({ hist_access_type: "range", session: 0, start: 2, stop: 4 }).map((e) => e[1])).toEqual([2, 3]);
    expect(filled().query({ hist_access_type: "range", session: 1, start: 5, stop: 6 })).toEqual([[1, 5, "let b = 2"]]);
    expect(filled().query({ hist_access_type: "range", session: 7, start: 1, stop: 6 })).toEqual([]);
  });

  it("search matches a glob against the whole input, with unique and n", () => {
    const history = filled();
    expect(history.query({ hist_access_type: "search", pattern: "a*" }).map((e) => e[1])).toEqual([2, 4]);
    expect(history.query({ hist_access_type: "search", pattern: "a*", unique: true }).map((e) => e[1])).toEqual([4]);
    expect(history.query({ hist_access_type: "search", pattern: "let ?*", n: 1 }).map((e) => e[2])).toEqual(["let b = 2"]);
  });

  it("translates globs literally except * ? and [..]", () => {
    expect(globToRegExp("1?2*").test("1+2")).toBe(true);
    expect(globToRegExp("a.b").test("axb")).toBe(false);
    expect(globToRegExp("[ab]c").test("bc")).toBe(true);
    expect(globToRegExp("(x)").test("(x)")).toBe(true);
  });
});
