import { defineProject } from "vitest/config";

// Redis-mode and bin tests start real processes; give them room on a busy 2-core machine.
export default defineProject({ test: { name: "emulator", include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 30_000 } });
