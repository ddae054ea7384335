import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { credentialsFromEnv, endpointEnvVar, optionsFromEnv, resolveCoreOptions, TokenSource, ValidationError } from "../src/index.js";
import { AK, PROJECT, rejectionOf, SECURITY_TOKEN, SK, TOKEN } from "./helpers.js";

const thrown = (run: () => unknown): ValidationError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected a ValidationError");
};

describe("credentialsFromEnv", () => {
  it("reads GEMINIDB_TOKEN, as the CLI does, before the AK/SK variables", () => {
    const { credentials } = credentialsFromEnv({ GEMINIDB_TOKEN: TOKEN, HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK });
    const source = resolveCoreOptions({ endpoint: "http://127.0.0.1:1", credentials }).credentials;
    expect(source).toBeInstanceOf(TokenSource);
    expect(source.secrets()).toEqual([TOKEN]);
    expect(inspect(credentials)).not.toContain(TOKEN);
    expect(JSON.stringify(credentials)).not.toContain(TOKEN);
  });

  it("says which variables to set when there are none", () => {
    const error = thrown(() => credentialsFromEnv({}));
    expect(error.message).toMatch(/GEMINIDB_TOKEN/);
    expect(error.message).toMatch(/HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK/);
  });
});

describe("optionsFromEnv", () => {
  const env = {
    HUAWEICLOUD_SDK_AK: AK,
    HUAWEICLOUD_SDK_SK: SK,
    HUAWEICLOUD_SDK_SECURITY_TOKEN: SECURITY_TOKEN,
    HUAWEICLOUD_SDK_PROJECT_ID: PROJECT,
    HUAWEICLOUD_SDK_REGION: "cn-north-4",
  };

  it("reads credentials, project and region from the vendor's variables", () => {
    const options = optionsFromEnv(env);
    expect(options.projectId).toBe(PROJECT);
    expect(options.region).toBe("cn-north-4");
    expect(options.endpoint).toBeUndefined();
    const resolved = resolveCoreOptions(options);
    expect(resolved.endpoint).toBe("https://gaussdb-nosql.cn-north-4.myhuaweicloud.com");
    expect(resolved.credentials.secrets()).toEqual([SK, SECURITY_TOKEN]);
    // Nothing secret prints.
    for (const shown of [inspect(options, { depth: 5 }), JSON.stringify(options)]) {
      expect(shown).not.toContain(SK);
      expect(shown).not.toContain(SECURITY_TOKEN);
    }
  });

  it("lets every explicit option win over the environment", () => {
    const options = optionsFromEnv(env, {
      region: "ap-southeast-1",
      projectId: "0123456789abcdef0123456789abcdef",
      credentials: { token: TOKEN },
    });
    expect(options.region).toBe("ap-southeast-1");
    expect(options.projectId).toBe("0123456789abcdef0123456789abcdef");
    expect(options.credentials).toEqual({ token: TOKEN });
  });

  it("takes the endpoint from the vendor SDKs' per-region variable for the region in effect (its first entry)", () => {
    expect(endpointEnvVar("cn-north-4")).toBe("HUAWEICLOUD_SDK_REGION_GAUSSDBFORNOSQL_CN_NORTH_4");
    const withEndpoint = {
      ...env,
      HUAWEICLOUD_SDK_REGION_GAUSSDBFORNOSQL_CN_NORTH_4: "https://nosql.internal.example,https://backup.example",
      HUAWEICLOUD_SDK_REGION_GAUSSDBFORNOSQL_AP_SOUTHEAST_1: "https://sg.internal.example",
    };
    expect(optionsFromEnv(withEndpoint).endpoint).toBe("https://nosql.internal.example");
    // An explicit region picks its own variable; an explicit endpoint ignores them all.
    expect(optionsFromEnv(withEndpoint, { region: "ap-southeast-1" }).endpoint).toBe("https://sg.internal.example");
    expect(optionsFromEnv(withEndpoint, { endpoint: "http://127.0.0.1:9" }).endpoint).toBe("http://127.0.0.1:9");
  });

  it("ignores blank variables, and says where credentials can come from when there are none", () => {
    expect(optionsFromEnv({ HUAWEICLOUD_SDK_AK: "", HUAWEICLOUD_SDK_REGION: " " }, { credentials: { token: TOKEN } })).toEqual({
      credentials: { token: TOKEN },
    });
    const none = thrown(() => optionsFromEnv({ HUAWEICLOUD_SDK_AK: "" }));
    expect(none.field).toBe("credentials");
    expect(none.message).toContain("set GEMINIDB_TOKEN, or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK");
  });

  it("names the variable at fault and never its value", async () => {
    const region = thrown(() => optionsFromEnv({ GEMINIDB_TOKEN: TOKEN, HUAWEICLOUD_SDK_REGION: "mars-1" }));
    expect(region.field).toBe("HUAWEICLOUD_SDK_REGION");
    expect(region.message).not.toContain("mars-1");
    const half = thrown(() => optionsFromEnv({ HUAWEICLOUD_SDK_SK: SK }));
    expect(half.field).toBe("HUAWEICLOUD_SDK_AK");
    expect(half.message).not.toContain(SK);
    const project = thrown(() => optionsFromEnv({ GEMINIDB_TOKEN: TOKEN, HUAWEICLOUD_SDK_PROJECT_ID: "Not-A-Project" }));
    expect(project.field).toBe("HUAWEICLOUD_SDK_PROJECT_ID");
    expect(await rejectionOf(Promise.resolve().then(() => optionsFromEnv({ GEMINIDB_TOKEN: "bad\ntoken" })))).toMatchObject({
      field: "GEMINIDB_TOKEN",
    });
  });
});
