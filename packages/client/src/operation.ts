import { operation } from "@geminidb-sessions/validation";
import type { paths } from "./generated/schema.js";

/** The one path of the API, from the spec (a type error here means the two generated views disagree). */
export const sessionsPath = operation.path satisfies keyof paths;
