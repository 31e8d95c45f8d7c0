"""Debian's jupyter_kernel_test conformance suite against the installed gradlab kernelspec, with TypeScript samples.

Run by kernel_test.test.ts inside a sandboxed Jupyter home (JUPYTER_PATH points at a temp dir holding the kernelspec).
Every test runs, the pager too: `name?` in a cell answers with a "page" payload, as in IPython.
"""
import unittest

import jupyter_kernel_test


class GradlabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "gradlab"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The suite allows 15 s per reply; on a loaded CI machine the first cell (TypeScript service warm-up) can take
        # longer, so run one cell with a generous timeout before the timed tests.
        cls.kc.execute_interactive("0", timeout=180)

    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("something went wrong")'

    completion_samples = [
        {"text": "const gradlabCompletionTarget = 1;\ngradlabCompletionTar", "matches": {"gradlabCompletionTarget"}},
        {"text": "Math.flo", "matches": {"floor"}},
    ]

    complete_code_samples = ["1 + 1", "const a = 1;", "function f(x: number) {\n  return x;\n}", "class A {}"]
    incomplete_code_samples = ["function f(x: number) {", "const xs = [1, 2,", "if (true) {\n  console.log(1);"]
    invalid_code_samples = ["const = 5;", "1 +* 2", "let let = )"]

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "[1, 2, 3].length", "result": "3"},
        {"code": "'ab'.repeat(2)", "result": "'abab'"},
    ]

    code_display_data = [
        {"code": 'display.html("<b>bold</b>")', "mime": "text/html"},
        {"code": 'display.markdown("# title")', "mime": "text/markdown"},
        {"code": 'display({ [Symbol.for("Jupyter.display")]: () => ({ "text/latex": "$x^2$" }) })', "mime": "text/latex"},
    ]

    code_history_pattern = "1 + ?"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_page_something = "Math.max?"

    code_clear_output = "clearOutput()"


if __name__ == "__main__":
    unittest.main()
