import { afterEach, describe, expect, it } from "vitest";
import { maxFaultRules } from "../src/fault-injector.js";
import { demoIds, EmulatorConfigError, type RunningEmulator, startEmulator } from "../src/index.js";
import { adminFetch, sessionsPath } from "./support/calls.js";
import { expectConforming } from "./support/conforming-response.js";
import { rawRequest, requestHead } from "./support/raw-http.js";

const instance = demoIds.instances.redisProxy;

/** A request head like `requestHead`, with the Host header replaced (or left out when `host` is undefined). */
function headWithHost(url: string, method: string, target: string, host: string | undefined, headers: Record<string, string> = {}) {
  const lines = requestHead(url, method, target, headers).split("\r\n");
  return lines.flatMap((line) => (line.startsWith("Host: ") ? (host === undefined ? [] : [`Host: ${host}`]) : [line])).join("\r\n");
}

const portOf = (url: string) => new URL(url).port;

describe("who may call the emulator", () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  describe("the API port", () => {
    it("refuses a Host that does not name it (DNS rebinding) with 404 APIGW.0101, before anything else", async () => {
      const refused: Array<string | undefined> = [];
      emu = await startEmulator({ log: (entry) => refused.push(entry.refused) });
      const target = sessionsPath(demoIds.projectId, instance);
      const token = { "X-Auth-Token": demoIds.token };
      const port = portOf(emu.url);
      for (const host of [`evil.example:${port}`, "evil.example", `127.0.0.1:${Number(port) + 1}`, `localhost.:${port}`, undefined]) {
        const response = await rawRequest(emu.url, headWithHost(emu.url, "DELETE", target, host, token));
        expectConforming(response, { status: 404, code: "APIGW.0101" });
      }
      expect(await emu.world.totalSessions(instance)).toBe(12);
      expect(refused).toEqual(["host", "host", "host", "host", "host"]);
      // Every loopback spelling of the emulator's own port is served.
      for (const host of [`localhost:${port}`, `LOCALHOST:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
        const response = await rawRequest(emu.url, headWithHost(emu.url, "DELETE", target, host, token));
        expectConforming(response, { status: 200 });
      }
    });

    it("serves the host names given in allowedHosts, and its own bind address", async () => {
      emu = await startEmulator({ allowedHosts: ["host.docker.internal"] });
      const port = portOf(emu.url);
      const target = sessionsPath(demoIds.projectId, instance);
      const response = await rawRequest(
        emu.url,
        headWithHost(emu.url, "DELETE", target, `host.docker.internal:${port}`, { "X-Auth-Token": demoIds.token }),
      );
      expectConforming(response, { status: 200 });
      await expect(startEmulator({ allowedHosts: ["evil example"] })).rejects.toThrow(EmulatorConfigError);
    });

    it("refuses a foreign Origin with 403 APIGW.0302 and no CORS header, whether cors is on or off", async () => {
      for (const cors of [false, true]) {
        emu = await startEmulator({ cors });
        for (const origin of [
          "http://evil.example",
          "null",
          "https://localhost:5173",
          "http://127.0.0.1.evil.example",
          "http://localhost:1/x",
        ]) {
          const response = await fetch(`${emu.url}${sessionsPath(demoIds.projectId, instance)}`, {
            method: "DELETE",
            headers: { "X-Auth-Token": demoIds.token, Origin: origin },
          });
          expect(response.headers.get("access-control-allow-origin"), origin).toBeNull();
          expectConforming(
            { status: response.status, header: (name) => response.headers.get(name) ?? undefined, body: await response.text() },
            {
              status: 403,
              code: "APIGW.0302",
            },
          );
        }
        expect(await emu.world.totalSessions(instance)).toBe(12);
        await emu.close();
        emu = undefined;
      }
    });

    it("serves a loopback page's Origin; CORS headers only with cors: true", async () => {
      emu = await startEmulator();
      const path = `${emu.url}${sessionsPath(demoIds.projectId, instance)}`;
      const plain = await fetch(path, { method: "DELETE", headers: { "X-Auth-Token": demoIds.token, Origin: "http://localhost:5173" } });
      expect(plain.status).toBe(200);
      expect(plain.headers.get("access-control-allow-origin")).toBeNull();
      const preflight = await fetch(path, {
        method: "OPTIONS",
        headers: { Origin: "http://localhost:5173", "Access-Control-Request-Method": "DELETE" },
      });
      expect(preflight.status).toBe(404);
    });
  });

  describe("cors: true", () => {
    it("answers a loopback page's preflight with the clients' headers, and exposes X-Request-Id on answers", async () => {
      emu = await startEmulator({ cors: true });
      const path = `${emu.url}${sessionsPath(demoIds.projectId, instance)}`;
      for (const origin of ["http://127.0.0.1:8123", "http://localhost:5173", "http://[::1]:3000", "http://localhost"]) {
        const preflight = await fetch(path, {
          method: "OPTIONS",
          headers: { Origin: origin, "Access-Control-Request-Method": "DELETE", "Access-Control-Request-Headers": "x-auth-token" },
        });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
        expect(preflight.headers.get("access-control-allow-methods")).toContain("DELETE");
        expect(preflight.headers.get("access-control-allow-methods")).toContain("GET");
        const allowed = (preflight.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(", ");
        for (const header of [
          "x-auth-token",
          "authorization",
          "x-sdk-date",
          "x-project-id",
          "x-security-token",
          "content-type",
          "x-language",
        ]) {
          expect(allowed).toContain(header);
        }
        expect(preflight.headers.get("vary")).toBe("Origin");
      }
      const answer = await fetch(path, { method: "DELETE", headers: { "X-Auth-Token": demoIds.token, Origin: "http://localhost:5173" } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
      expect(answer.headers.get("access-control-expose-headers")).toBe("X-Request-Id");
      const refused = await fetch(path, { method: "DELETE", headers: { Origin: "http://localhost:5173" } });
      expect(refused.status).toBe(401);
      expect(refused.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
      const foreign = await fetch(path, {
        method: "OPTIONS",
        headers: { Origin: "http://evil.example", "Access-Control-Request-Method": "DELETE" },
      });
      expect(foreign.status).toBe(403);
      expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    });
  });

  describe("the admin API", () => {
    it("requires the admin token, which startEmulator returns (and does not show when inspected)", async () => {
      emu = await startEmulator();
      expect(emu.adminToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(JSON.stringify(Object.keys(emu))).not.toContain("adminToken");
      const { inspect } = await import("node:util");
      expect(inspect(emu, { depth: 4 })).not.toContain(emu.adminToken);
      const none = await adminFetch(emu, "/faults", { method: "POST", token: null, body: { effect: { type: "reset" } } });
      expect(none.status).toBe(401);
      expect(((await none.json()) as { error: string }).error).toMatch(/X-Admin-Token/);
      const wrong = await adminFetch(emu, "/state", { token: `${emu.adminToken.slice(0, -1)}x` });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).not.toContain(emu.adminToken);
      expect(emu.faults.list()).toEqual([]);
      expect((await adminFetch(emu, "/state")).status).toBe(200);
    });

    it("takes a fixed admin token and refuses a weak one", async () => {
      emu = await startEmulator({ adminToken: "fixed-admin-token-0123456789" });
      expect(emu.adminToken).toBe("fixed-admin-token-0123456789");
      expect((await adminFetch(emu, "/state")).status).toBe(200);
      await expect(startEmulator({ adminToken: "short" })).rejects.toThrow(EmulatorConfigError);
    });

    it("refuses a web page: a text/plain POST /faults with a foreign Origin adds no rule, even with the token", async () => {
      emu = await startEmulator();
      for (const origin of ["http://evil.example", "http://localhost:5173"]) {
        const response = await fetch(`${emu.adminUrl}/faults`, {
          method: "POST",
          headers: { "Content-Type": "text/plain", Origin: origin, "X-Admin-Token": emu.adminToken },
          body: JSON.stringify({ effect: { type: "reset" } }),
        });
        expect(response.status).toBe(403);
      }
      expect(emu.faults.list()).toEqual([]);
    });

    it("refuses a Host that does not name it (DNS rebinding)", async () => {
      emu = await startEmulator();
      const port = portOf(emu.adminUrl);
      const token = { "X-Admin-Token": emu.adminToken };
      for (const host of [`evil.example:${port}`, `127.0.0.1:${portOf(emu.url)}`, undefined]) {
        const response = await rawRequest(emu.adminUrl, headWithHost(emu.adminUrl, "GET", "/state", host, token));
        expect(response.status, String(host)).toBe(403);
      }
      const served = await rawRequest(emu.adminUrl, headWithHost(emu.adminUrl, "GET", "/state", `localhost:${port}`, token));
      expect(served.status).toBe(200);
    });

    it("refuses an admin body over 256 KiB with 413 and adds nothing", async () => {
      emu = await startEmulator();
      const response = await adminFetch(emu, "/faults", {
        method: "POST",
        body: { effect: { type: "reset" }, id: "x".repeat(300 * 1024) },
      });
      expect(response.status).toBe(413);
      expect(emu.faults.list()).toEqual([]);
    });

    it(`caps the fault rules at ${maxFaultRules}: a list that would pass the cap adds none of its rules`, async () => {
      emu = await startEmulator();
      const rule = { effect: { type: "latency", ms: 1 } };
      const filled = await adminFetch(emu, "/faults", { method: "POST", body: Array.from({ length: maxFaultRules - 1 }, () => rule) });
      expect(filled.status).toBe(201);
      const over = await adminFetch(emu, "/faults", { method: "POST", body: [rule, rule] });
      expect(over.status).toBe(409);
      expect(emu.faults.list()).toHaveLength(maxFaultRules - 1);
      expect((await adminFetch(emu, "/faults", { method: "POST", body: rule })).status).toBe(201);
      expect(emu.faults.list()).toHaveLength(maxFaultRules);
    });
  });
});
