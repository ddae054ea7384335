import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isInstanceId, isProjectId } from "@geminidb-sessions/validation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoIds, demoWorld, EmulatorConfigError, loadWorldFile, parseWorldConfig, startEmulator } from "../src/index.js";
import { deleteSigned, deleteWithToken } from "./support/calls.js";
import { expectConforming } from "./support/conforming-response.js";

const example = new URL("../examples/world.yaml", import.meta.url).pathname;

describe("world config", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "emulator-config-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("the demo world's IDs all match the spec's patterns", () => {
    const world = demoWorld();
    for (const project of world.projects) {
      expect(isProjectId(project.id), project.id).toBe(true);
      for (const instance of project.instances ?? []) expect(isInstanceId(instance.id), instance.id).toBe(true);
    }
    expect(isInstanceId(demoIds.unknownInstanceId)).toBe(true);
    expect(() => parseWorldConfig(world)).not.toThrow();
  });

  it("loads the example YAML file and serves it", async () => {
    const config = await loadWorldFile(example);
    expect(config.projects[0]?.instances).toHaveLength(3);
    const emu = await startEmulator({ config: example });
    try {
      const instance = "7a6b5c4d3e2f41a09b8c7d6e5f4a3b2cin12";
      expect(emu.credentials).toMatchObject({
        projectId: "2f1e0d9c8b7a46958473625140312f1e",
        token: "MIIShopTestToken0001",
        instanceId: instance,
      });
      expectConforming(await deleteWithToken(emu, instance), { status: 429, code: "APIGW.0308" });
      expectConforming(await deleteWithToken(emu, instance), { status: 200 });
      expectConforming(await deleteWithToken(emu, instance, { token: "MIIShopExpiredToken0002" }), { status: 401, code: "APIGW.0301" });
      expectConforming(await deleteWithToken(emu, "8b7c6d5e4f3a42b1ac9d8e7f6a5b4c3din12"), { status: 403, code: "DBS.200019" });
      expectConforming(await deleteWithToken(emu, "9c8d7e6f5a4b43c2bd0e9f8a7b6c5d4ein06"), { status: 400, code: "DBS.200001" });
    } finally {
      await emu.close();
    }
  });

  it("requires the security token of a temporary AK/SK pair", async () => {
    const emu = await startEmulator({ config: example });
    try {
      const instance = "7a6b5c4d3e2f41a09b8c7d6e5f4a3b2cin12";
      emu.faults.clear();
      const temporary = { accessKey: "SHOPTEMPAK0000000002", secretKey: "shopTempSecretKeyNotReal0123456789" };
      expectConforming(await deleteSigned(emu, instance, temporary), { status: 401, code: "APIGW.0301" });
      expectConforming(await deleteSigned(emu, instance, { ...temporary, securityToken: "wrongToken" }), {
        status: 401,
        code: "APIGW.0301",
      });
      expectConforming(await deleteSigned(emu, instance, { ...temporary, securityToken: "shopTempSecurityTokenNotReal" }), { status: 200 });
    } finally {
      await emu.close();
    }
  });

  it("refuses a temporary pair's security token added after signing (not among SignedHeaders), as the gateway does", async () => {
    const failures: Array<string | undefined> = [];
    const emu = await startEmulator({ config: example, log: (entry) => failures.push(entry.authFailure) });
    try {
      const instance = "7a6b5c4d3e2f41a09b8c7d6e5f4a3b2cin12";
      emu.faults.clear();
      const temporary = { accessKey: "SHOPTEMPAK0000000002", secretKey: "shopTempSecretKeyNotReal0123456789" };
      const added = await deleteSigned(emu, instance, { ...temporary, unsignedSecurityToken: "shopTempSecurityTokenNotReal" });
      expectConforming(added, { status: 401, code: "APIGW.0301" });
      expect(failures).toEqual(["security-token-unsigned"]);
      expect(await emu.world.totalSessions(instance)).toBeGreaterThan(0);
    } finally {
      await emu.close();
    }
  });

  it("loads the same world from JSON", async () => {
    const path = join(dir, "world.json");
    await writeFile(path, JSON.stringify(demoWorld()));
    expect(await loadWorldFile(path)).toEqual(demoWorld());
  });

  it("lists every problem with its path", () => {
    const bad = {
      projects: [
        {
          id: "NOT-HEX",
          instances: [
            { id: "c865f921f3dd45198f209a607533a779", engine: "redis", mode: "proxy-cluster", nodes: [{ id: "n", sessions: -1 }] },
            { id: "c865f921f3dd45198f209a607533a779in12", engine: "redis", mode: "proxy-cluster", colour: "blue" },
          ],
        },
      ],
      tokens: [{ token: "has space", projectId: "0e3c4f7a9b2d4c6e8f1a3b5c7d9e1f20" }],
      faults: [{ effect: { type: "explode" } }],
    };
    let error: unknown;
    try {
      parseWorldConfig(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EmulatorConfigError);
    expect((error as EmulatorConfigError).issues).toEqual([
      expect.stringMatching(/^projects\[0\]\.id: must be a project ID/),
      expect.stringMatching(/^projects\[0\]\.instances\[0\]\.id: must be an instance ID/),
      expect.stringMatching(/^projects\[0\]\.instances\[0\]\.nodes\[0\]\.sessions: must be an integer from 0/),
      expect.stringMatching(/^projects\[0\]\.instances\[1\]\.colour: unknown field/),
      expect.stringMatching(/^tokens\[0\]\.token: must be a well-formed IAM token/),
      expect.stringMatching(/^faults\[0\]\.effect\.type: must be one of/),
    ]);
  });

  it("refuses duplicates and references to unknown projects", () => {
    const world = demoWorld();
    world.projects.push({ id: demoIds.projectId });
    world.tokens?.push({ token: "x", projectId: "ffffffffffffffffffffffffffffffff" });
    expect(() => parseWorldConfig(world)).toThrow(/duplicate project[\s\S]*no project ffffffffffffffffffffffffffffffff/);
  });

  it("names the file when it cannot be read or parsed", async () => {
    const broken = join(dir, "broken.yaml");
    await writeFile(broken, "projects: [unclosed\ntokens: [{ token: s3cr3tToken ");
    await expect(loadWorldFile(broken)).rejects.toThrow(/broken\.yaml is not valid YAML \(line \d+, column \d+\)$/);
    // The parser's excerpt of the file is not repeated: the file may hold secret keys.
    const leaky = join(dir, "leaky.json");
    await writeFile(leaky, '{"accessKeys": [{"secretKey": "s3cr3tValue" oops}]}');
    const error = await loadWorldFile(leaky).then(
      () => new Error("loaded"),
      (caught: unknown) => caught as Error,
    );
    expect(error.message).toMatch(/leaky\.json is not valid JSON/);
    expect(error.message).not.toContain("s3cr3tValue");
    await expect(loadWorldFile(join(dir, "missing.yaml"))).rejects.toThrow(/Cannot read config file/);
    await expect(loadWorldFile(join(dir, "world.txt"))).rejects.toThrow(/\.json, \.yaml or \.yml/);
  });

  it("refuses config and world together", async () => {
    await expect(startEmulator({ config: example, world: demoWorld() })).rejects.toThrow(EmulatorConfigError);
  });

  it("generates credentials for the first project when the config has none", async () => {
    const emu = await startEmulator({ world: { projects: [{ id: demoIds.projectId, instances: [] }] } });
    try {
      expect(emu.credentials.projectId).toBe(demoIds.projectId);
      expect(emu.credentials.instanceId).toBeUndefined();
      expectConforming(await deleteWithToken(emu, demoIds.unknownInstanceId), { status: 404, code: "DBS.200002" });
      expectConforming(await deleteSigned(emu, demoIds.unknownInstanceId), { status: 404, code: "DBS.200002" });
    } finally {
      await emu.close();
    }
  });

  it("uses the given clock for token expiry", async () => {
    let now = new Date("2026-01-01T00:00:00Z");
    const emu = await startEmulator({
      now: () => now,
      world: {
        projects: [{ id: demoIds.projectId, instances: demoWorld().projects[0]?.instances?.slice(0, 1) ?? [] }],
        tokens: [{ token: "short-lived", projectId: demoIds.projectId, expiresAt: "2026-01-01T01:00:00Z" }],
      },
    });
    try {
      const instance = demoIds.instances.redisProxy;
      expectConforming(await deleteWithToken(emu, instance, { token: "short-lived" }), { status: 200 });
      now = new Date("2026-01-01T01:00:00Z");
      expectConforming(await deleteWithToken(emu, instance, { token: "short-lived" }), { status: 401, code: "APIGW.0301" });
    } finally {
      await emu.close();
    }
  });
});
