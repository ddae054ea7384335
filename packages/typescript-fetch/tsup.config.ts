import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.js";

// The generated runtime's declarations name DOM fetch types (RequestCredentials,
// WindowOrWorkerGlobalScope); the reference keeps them valid for consumers whose
// tsconfig has no "dom" lib, such as plain Node programs.
export default defineConfig(packageBuild({ dts: { banner: '/// <reference lib="dom" />' } }));
