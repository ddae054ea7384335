import { defineProject } from "vitest/config";

// Each test starts an emulator per flavor and some wait out per-attempt timeouts:
// a generous ceiling, so a loaded CI machine does not fail a test that is merely slow.
export default defineProject({ test: { name: "conformance", include: ["test/**/*.test.ts"], testTimeout: 30_000 } });
