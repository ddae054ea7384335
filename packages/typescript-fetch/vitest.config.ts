import { defineProject } from "vitest/config";

// A ceiling a loaded 2-core CI machine meets (vitest's default is 5 s); a hang still fails.
export default defineProject({ test: { name: "typescript-fetch", include: ["test/**/*.test.ts"], testTimeout: 20_000 } });
