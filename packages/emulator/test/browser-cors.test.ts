import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoIds, type RequestLogEntry, startEmulator } from "../src/index.js";
import { sessionsPath } from "./support/calls.js";

const run = promisify(execFile);

function findChromium(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "chromium");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

const chromium = findChromium();
if (chromium === undefined) process.stdout.write("skipped: chromium is not installed (apt-get install chromium)\n");

const instance = demoIds.instances.redisProxy;

/** A page that calls the operation with fetch, as a browser test would, and writes what it saw into the body. */
function pageCalling(emulatorUrl: string): string {
  const target = JSON.stringify(`${emulatorUrl}${sessionsPath(demoIds.projectId, instance)}`);
  const headers = JSON.stringify({ "X-Auth-Token": demoIds.token, "Content-Type": "application/json" });
  return `<!doctype html><body>pending<script>
fetch(${target}, { method: "DELETE", headers: ${headers} })
  .then(async (r) => { document.body.textContent = "status=" + r.status + " request-id=" + (r.headers.get("x-request-id") ? "readable" : "hidden"); })
  .catch((e) => { document.body.textContent = "failed=" + e.name; });
</script></body>`;
}

describe.skipIf(chromium === undefined)("a real browser page (headless Chromium) calling the emulator", () => {
  let profile: string;
  let pageServer: Server;
  let page = "";

  beforeAll(async () => {
    profile = await mkdtemp(join(tmpdir(), "emulator-cors-"));
    pageServer = createServer((_, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end(page);
    });
    await new Promise<void>((resolve) => pageServer.listen(0, "127.0.0.1", () => resolve()));
  });
  afterAll(async () => {
    pageServer.close();
    await rm(profile, { recursive: true, force: true });
  });

  /** Loads the page from `http://<host>:<page port>/` (every host name maps to 127.0.0.1) and returns what it wrote. */
  async function visit(host: string): Promise<string> {
    const url = `http://${host}:${(pageServer.address() as AddressInfo).port}/`;
    const { stdout } = await run(
      chromium as string,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${profile}`,
        // A foreign site whose name resolves to this machine, as in DNS rebinding.
        "--host-resolver-rules=MAP evil.test 127.0.0.1",
        "--virtual-time-budget=5000",
        "--dump-dom",
        url,
      ],
      { timeout: 60_000 },
    );
    return stdout
      .replace(/<script[\s\S]*?<\/script>/g, " ")
      .replace(/<[^>]+>/g, " ")
      .trim();
  }

  it("with cors: true, a loopback page's DELETE passes the preflight, closes the sessions and reads X-Request-Id", async () => {
    const emu = await startEmulator({ cors: true });
    try {
      page = pageCalling(emu.url);
      expect(await visit("localhost")).toBe("status=200 request-id=readable");
      expect(await emu.world.totalSessions(instance)).toBe(0);
    } finally {
      await emu.close();
    }
  }, 90_000);

  it("without cors, the browser stops at the preflight and nothing is closed", async () => {
    const emu = await startEmulator();
    try {
      page = pageCalling(emu.url);
      expect(await visit("localhost")).toBe("failed=TypeError");
      expect(await emu.world.totalSessions(instance)).toBe(12);
    } finally {
      await emu.close();
    }
  }, 90_000);

  it("with cors: true, a foreign site's page (its name resolving to 127.0.0.1) is refused and closes nothing", async () => {
    const log: RequestLogEntry[] = [];
    const emu = await startEmulator({ cors: true, log: (entry) => log.push(entry) });
    try {
      page = pageCalling(emu.url.replace("127.0.0.1", "evil.test"));
      expect(await visit("evil.test")).toBe("failed=TypeError");
      expect(await emu.world.totalSessions(instance)).toBe(12);
      expect(log.length).toBeGreaterThan(0);
      expect(log.every((entry) => entry.refused === "host")).toBe(true);
    } finally {
      await emu.close();
    }
  }, 90_000);
});
