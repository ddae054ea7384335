import { defineProject } from "vitest/config";

// A ceiling a loaded 2-core CI machine meets (vitest's default is 5 s); a hang still fails.
export default defineProject({
  test: { name: "core", include: ["test/**/*.test.ts"], setupFiles: ["test/setup/no-output.ts"], testTimeout: 20_000 },
});
