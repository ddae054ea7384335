import { defineProject } from "vitest/config";

// The tests drive the built bin as a subprocess: test/global-setup.ts builds it first
// when dist/ is missing or older than src/. Subprocesses (and the demo, which starts
// real redis-servers) need room on a busy 2-core machine.
export default defineProject({
  test: {
    name: "cli",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
