// nbformat 4 reading errors name the file; atomic writes leave the old file untouched when writing fails.
import { mkdir, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NotebookFileError, readNotebook, writeFileAtomic } from "../../../cli/runner/notebook_file.js";

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "gradlab-nbfile-"));
}

describe("readNotebook", () => {
  it("reads a valid nbformat 4 notebook", async () => {
    const dir = await tempDir();
    const file = join(dir, "ok.ipynb");
    await writeFile(file, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "code", source: ["1 +", " 1"], metadata: {}, outputs: [], execution_count: null }] }));
    const nb = await readNotebook(file);
    expect(nb.cells).toHaveLength(1);
  });

  it.each([
    ["{ not json", /bad\.ipynb: not valid JSON/],
    ["[1, 2]", /bad\.ipynb: not a notebook/],
    [JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [] }), /bad\.ipynb: not an nbformat 4 notebook \(nbformat 3\)/],
    [JSON.stringify({ metadata: {}, cells: [] }), /bad\.ipynb: not an nbformat 4 notebook \(no nbformat field\)/],
    [JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {} }), /bad\.ipynb: cells is missing/],
    [JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "python", source: "" }] }), /bad\.ipynb: cell 1 has an unknown cell_type "python"/],
    [JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "code", source: 3 }] }), /bad\.ipynb: cell 1 has a source/],
  ])("rejects %s with a message naming the file", async (text, message) => {
    const dir = await tempDir();
    const file = join(dir, "bad.ipynb");
    await writeFile(file, text);
    const err = await readNotebook(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotebookFileError);
    expect((err as Error).message).toMatch(message);
  });

  it("names a missing file", async () => {
    await expect(readNotebook("/nonexistent/x.ipynb")).rejects.toThrow(/\/nonexistent\/x\.ipynb: cannot read the file/);
  });
});

describe("writeFileAtomic", () => {
  it("replaces the file and leaves no temporary file", async () => {
    const dir = await tempDir();
    const file = join(dir, "out.ipynb");
    await writeFile(file, "old");
    await writeFileAtomic(file, "new");
    expect(await readFile(file, "utf8")).toBe("new");
    expect(await readdir(dir)).toEqual(["out.ipynb"]);
  });

  it("keeps what was there and leaves no temporary file when the final rename fails (also as root)", async () => {
    const dir = await tempDir();
    // A non-empty directory where the notebook should go: writing the temporary file works, the rename cannot.
    const target = join(dir, "out.ipynb");
    await mkdir(target);
    await writeFile(join(target, "keep"), "old");
    await expect(writeFileAtomic(target, "new")).rejects.toThrow();
    expect(await readFile(join(target, "keep"), "utf8")).toBe("old");
    expect(await readdir(dir)).toEqual(["out.ipynb"]);
  });
});
