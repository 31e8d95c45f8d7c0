// Test runner configuration: one suite for library and kernel; kernel tests spawn the built kernel from dist/.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
