import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createSessionsClient } from "@geminidb-sessions/client";
import { createNodeFetch } from "@geminidb-sessions/core/node";
import { createSessionsApi } from "@geminidb-sessions/typescript-fetch";
import { vendorCorePackage, vendorDir, vendorServicePackage } from "../vendor-sdk.js";
import type { AlternativeKey, Auth, Target } from "./protocol.js";
import { signDelete } from "./raw-signer.js";

/** One `closeInstanceSessions` call; resolves when the answer was read, rejects on anything but 200. */
export type Call = () => Promise<void>;

const USER_AGENT = "@geminidb-sessions/client/0.1.0";

function sessionsUrl(target: Target): URL {
  return new URL(`${target.url}/v3/${target.projectId}/instances/${target.instanceId}/sessions`);
}

/** The headers our client sends, written by hand: what "raw" means here. */
function rawHeaders(auth: Auth, target: Target, url: URL): Record<string, string> {
  if (auth === "token") return { "User-Agent": USER_AGENT, "X-Auth-Token": target.token };
  return { "User-Agent": USER_AGENT, ...signDelete(url, target.projectId, target.accessKey, target.secretKey) };
}

function rawHttp(auth: Auth, target: Target): Call {
  const url = sessionsUrl(target);
  const agent = new Agent({ keepAlive: true });
  return () =>
    new Promise((resolve, reject) => {
      const outgoing = request(url, { method: "DELETE", agent, headers: rawHeaders(auth, target, url) }, (incoming) => {
        incoming.resume();
        incoming.on("error", reject);
        incoming.on("end", () => (incoming.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${incoming.statusCode}`))));
      });
      outgoing.on("error", reject);
      outgoing.end();
    });
}

function rawFetch(auth: Auth, target: Target): Call {
  const url = sessionsUrl(target);
  return async () => {
    const response = await fetch(url, { method: "DELETE", headers: rawHeaders(auth, target, url) });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  };
}

function credentials(auth: Auth, target: Target) {
  return auth === "token" ? { token: target.token } : { accessKey: target.accessKey, secretKey: target.secretKey };
}

function client(auth: Auth, target: Target, variant: "default" | "node-fetch"): Call {
  const sessions = createSessionsClient({
    projectId: target.projectId,
    endpoint: target.url,
    credentials: credentials(auth, target),
    ...(variant === "node-fetch" ? { fetch: createNodeFetch() } : {}),
  });
  return async () => {
    await sessions.closeInstanceSessions({ instanceId: target.instanceId });
  };
}

function typescriptFetch(auth: Auth, target: Target): Call {
  // A variable, not a literal: the flavor's options are still settling (projectId,
  // AK/SK credentials), and extra properties of a variable are allowed either way.
  const options = { projectId: target.projectId, endpoint: target.url, credentials: credentials(auth, target) };
  const api = createSessionsApi(options as Parameters<typeof createSessionsApi>[0]);
  return async () => {
    await api.closeInstanceSessions({ projectId: target.projectId, instanceId: target.instanceId });
  };
}

/** The parts of the vendor SDK this benchmark touches (it ships types, but outside this workspace). */
interface VendorCore {
  BasicCredentials: new () => { withAk(ak: string): VendorCredentials };
}
interface VendorCredentials {
  withAk(ak: string): VendorCredentials;
  withSk(sk: string): VendorCredentials;
  withProjectId(projectId: string): VendorCredentials;
}
interface VendorService {
  GaussDBforNoSQLClient: {
    newBuilder(): { withCredential(c: VendorCredentials): { withEndpoint(e: string): { build(): VendorClient } } };
  };
  ClearInstanceSessionsRequest: new () => { withInstanceId(id: string): unknown };
}
interface VendorClient {
  clearInstanceSessions(request: unknown): Promise<{ httpStatusCode?: number }>;
}

function vendorSdk(auth: Auth, target: Target): Call {
  if (auth === "token") throw new Error("the vendor SDK has no token credentials: it signs every request with AK/SK");
  const require = createRequire(join(vendorDir, "package.json"));
  const core = require(vendorCorePackage) as VendorCore;
  const service = require(vendorServicePackage) as VendorService;
  const creds = new core.BasicCredentials().withAk(target.accessKey).withSk(target.secretKey).withProjectId(target.projectId);
  const sdk = service.GaussDBforNoSQLClient.newBuilder().withCredential(creds).withEndpoint(target.url).build();
  return async () => {
    const result = await sdk.clearInstanceSessions(new service.ClearInstanceSessionsRequest().withInstanceId(target.instanceId));
    if (result.httpStatusCode !== 200) throw new Error(`HTTP ${result.httpStatusCode}`);
  };
}

export function createCall(alternative: AlternativeKey, auth: Auth, target: Target): Call {
  switch (alternative) {
    case "raw-http":
      return rawHttp(auth, target);
    case "raw-fetch":
      return rawFetch(auth, target);
    case "client":
      return client(auth, target, "default");
    case "client-node-fetch":
      return client(auth, target, "node-fetch");
    case "typescript-fetch":
      return typescriptFetch(auth, target);
    case "vendor-sdk":
      return vendorSdk(auth, target);
  }
}
