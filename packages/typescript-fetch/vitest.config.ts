import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "typescript-fetch", include: ["test/**/*.test.ts"] } });
