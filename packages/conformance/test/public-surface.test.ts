import { createRequire } from "node:module";
import * as client from "@geminidb-sessions/client";
import * as core from "@geminidb-sessions/core";
import type * as SurfaceTypes from "@geminidb-sessions/core/public-surface";
import * as surface from "@geminidb-sessions/core/public-surface";
import * as typescriptFetch from "@geminidb-sessions/typescript-fetch";
import { describe, expect, expectTypeOf, it } from "vitest";

const require = createRequire(import.meta.url);
const values = (module: object) => module as Record<string, unknown>;

describe("the public surface both flavours share (@geminidb-sessions/core/public-surface)", () => {
  it("each flavour exports every value of it, the very same one core's main entry exports", () => {
    const names = Object.keys(surface);
    expect(names).toEqual(expect.arrayContaining(["ValidationError", "ApiError", "GeminiDbError", "credentialsFromEnv", "isKnownRegion"]));
    for (const name of names) {
      expect(values(client)[name], `client ${name}`).toBe(values(surface)[name]);
      expect(values(typescriptFetch)[name], `typescript-fetch ${name}`).toBe(values(surface)[name]);
      expect(values(core)[name], `core ${name}`).toBe(values(surface)[name]);
    }
  });

  it("its types are the flavours' types", () => {
    // Checked by the compiler (`tsc` in this package's typecheck); a no-op at run time.
    expectTypeOf<client.Credentials>().toEqualTypeOf<SurfaceTypes.Credentials>();
    expectTypeOf<typescriptFetch.Credentials>().toEqualTypeOf<SurfaceTypes.Credentials>();
    expectTypeOf<client.Logger>().toEqualTypeOf<SurfaceTypes.Logger>();
    expectTypeOf<typescriptFetch.ErrorCode>().toEqualTypeOf<SurfaceTypes.ErrorCode>();
    expectTypeOf<client.Region>().toEqualTypeOf<SurfaceTypes.Region>();
  });

  it("CommonJS gets one copy of each class too: an error from the main entry is instanceof the surface's class", () => {
    const cjsCore = require("@geminidb-sessions/core") as typeof core;
    const cjsSurface = require("@geminidb-sessions/core/public-surface") as typeof surface;
    const cjsClient = require("@geminidb-sessions/client") as typeof client;
    const cjsTypescriptFetch = require("@geminidb-sessions/typescript-fetch") as typeof typescriptFetch;
    for (const name of Object.keys(cjsSurface)) {
      expect(values(cjsCore)[name], `core ${name}`).toBe(values(cjsSurface)[name]);
      expect(values(cjsClient)[name], `client ${name}`).toBe(values(cjsSurface)[name]);
      expect(values(cjsTypescriptFetch)[name], `typescript-fetch ${name}`).toBe(values(cjsSurface)[name]);
    }
    let thrown: unknown;
    try {
      cjsCore.resolveCoreOptions({ credentials: { token: "t" }, endpoint: "http://127.0.0.1:1", timeoutMs: 0 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(cjsSurface.ValidationError);
    expect(thrown).toBeInstanceOf(cjsClient.ValidationError);
  });

  it("signature verification is server-side only: not on core's main entry, not re-exported by a flavour", () => {
    for (const name of ["verifySignature", "canonicalRequest", "canonicalUri", "canonicalQueryString"]) {
      expect(name in core, `core ${name}`).toBe(false);
      expect(name in client, `client ${name}`).toBe(false);
      expect(name in typescriptFetch, `typescript-fetch ${name}`).toBe(false);
    }
    const server = require("@geminidb-sessions/core/server") as Record<string, unknown>;
    expect(Object.keys(server).sort()).toEqual(["canonicalQueryString", "canonicalRequest", "canonicalUri", "verifySignature"]);
  });
});
