import type { paths } from "./generated/schema.js";

/** The one path of the API, as the generated types spell it (a type error here means the spec changed). */
export const sessionsPath = "/v3/{project_id}/instances/{instance_id}/sessions" satisfies keyof paths;
