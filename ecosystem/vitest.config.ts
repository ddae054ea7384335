import { defineProject } from "vitest/config";

// Unit tests of the suite's own logic; the suite itself (src/run.ts) runs after them in `pnpm test`.
export default defineProject({ test: { name: "ecosystem", include: ["test/**/*.test.ts"] } });
