// Validates .ipynb files with Debian's Python nbformat (the reference implementation of the schema).
import { execFileSync } from "node:child_process";

const SCRIPT = [
  "import sys, nbformat",
  "for path in sys.argv[1:]:",
  "    nbformat.validate(nbformat.read(path, as_version=nbformat.NO_CONVERT), version=4)",
].join("\n");

/** Throws with nbformat's message when any file is not a valid nbformat 4 notebook. */
export function validateWithNbformat(...files: string[]): void {
  execFileSync("/usr/bin/python3", ["-c", SCRIPT, ...files], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}
