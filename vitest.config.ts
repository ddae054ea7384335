import { defineConfig } from "vitest/config";

// One config for the whole repository: each package is a project with its own
// vitest.config.ts; "root" holds the tests of spec/ and scripts/.
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      {
        test: {
          name: "root",
          include: ["scripts/test/**/*.test.ts", "spec/test/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
