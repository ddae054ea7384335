import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createSessionsClient } from "@geminidb-sessions/client";
import { createSessionsApi } from "@geminidb-sessions/typescript-fetch";
import { vendorCorePackage, vendorDir, vendorServicePackage } from "../lib/paths.js";
import { type AlternativeKey, type Auth, type Operation, PAGE_SIZE, type Target } from "./protocol.js";
import { signBodiless } from "./raw-signer.js";

/** One call of the measured operation; resolves when the answer was read, rejects on anything but 200. */
export type Call = () => Promise<void>;

/** A list operation of one flavor: one page at `offset`, giving how many sessions it held and the list's total. */
type ListPage = (offset: number) => Promise<{ count: number; total: number }>;

/**
 * The walk a user writes without an iterator: offset += limit until the total. Every
 * walk checks it saw every session once, so a flavor that stops early fails its run.
 */
function walkWith(page: ListPage): Call {
  return async () => {
    let seen = 0;
    let total = 0;
    for (let offset = 0; offset === 0 || offset < total; offset += PAGE_SIZE) {
      const answer = await page(offset);
      seen += answer.count;
      total = answer.total;
    }
    if (seen !== total) throw new Error(`walked ${seen} of ${total} sessions`);
  };
}

/** The call of `operation` for a flavor that offers only a single-page list (no iterator). */
function listCall(operation: Exclude<Operation, "close">, page: ListPage): Call {
  if (operation === "walk-node") return walkWith(page);
  return async () => {
    await page(0);
  };
}

function nodeOf(target: Target): string {
  if (target.nodeId === undefined) throw new Error("the list operations need target.nodeId");
  return target.nodeId;
}

const USER_AGENT = "@geminidb-sessions/client/0.1.0";

function sessionsUrl(target: Target): URL {
  return new URL(`${target.url}/v3/${target.projectId}/instances/${target.instanceId}/sessions`);
}

/** The headers our client sends, written by hand: what "raw" means here. */
function rawHeaders(auth: Auth, target: Target, url: URL, method: "DELETE" | "GET" = "DELETE"): Record<string, string> {
  if (auth === "token") return { "User-Agent": USER_AGENT, "X-Auth-Token": target.token };
  return { "User-Agent": USER_AGENT, ...signBodiless(method, url, target.projectId, target.accessKey, target.secretKey) };
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

/** One page of a node's sessions with fetch, the URL and headers written by hand. */
function rawFetchList(auth: Auth, target: Target): ListPage {
  const base = `${target.url}/v3/${target.projectId}/redis/nodes/${nodeOf(target)}/sessions`;
  return async (offset) => {
    const url = new URL(`${base}?offset=${offset}&limit=${PAGE_SIZE}`);
    const response = await fetch(url, { headers: rawHeaders(auth, target, url, "GET") });
    const body = (await response.json()) as { sessions: unknown[]; total_count: number };
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    return { count: body.sessions.length, total: body.total_count };
  };
}

function credentials(auth: Auth, target: Target) {
  return auth === "token" ? { token: target.token } : { accessKey: target.accessKey, secretKey: target.secretKey };
}

function client(auth: Auth, target: Target, variant: "default" | "global-fetch", operation: Operation): Call {
  const sessions = createSessionsClient({
    projectId: target.projectId,
    endpoint: target.url,
    credentials: credentials(auth, target),
    ...(variant === "global-fetch" ? { fetch: globalThis.fetch } : {}),
  });
  if (operation === "list-node") {
    const nodeId = nodeOf(target);
    return async () => {
      await sessions.listNodeSessions({ nodeId, offset: 0, limit: PAGE_SIZE });
    };
  }
  if (operation === "walk-node") {
    const nodeId = nodeOf(target);
    return async () => {
      let seen = 0;
      let total = 0;
      for await (const page of sessions.pages.listNodeSessions({ nodeId, limit: PAGE_SIZE })) {
        seen += page.data.sessions.length;
        total = page.data.total_count;
      }
      if (seen !== total) throw new Error(`walked ${seen} of ${total} sessions`);
    };
  }
  return async () => {
    await sessions.closeInstanceSessions({ instanceId: target.instanceId });
  };
}

function typescriptFetch(auth: Auth, target: Target, operation: Operation): Call {
  // A variable, not a literal: the flavor's options are still settling (projectId,
  // AK/SK credentials), and extra properties of a variable are allowed either way.
  const options = { projectId: target.projectId, endpoint: target.url, credentials: credentials(auth, target) };
  const api = createSessionsApi(options as Parameters<typeof createSessionsApi>[0]);
  if (operation === "list-node") {
    const nodeId = nodeOf(target);
    return async () => {
      await api.listNodeSessions({ projectId: target.projectId, nodeId, offset: 0, limit: PAGE_SIZE });
    };
  }
  if (operation === "walk-node") {
    const nodeId = nodeOf(target);
    return async () => {
      let seen = 0;
      let total = 0;
      for await (const page of api.pages.listNodeSessions({ projectId: target.projectId, nodeId, limit: PAGE_SIZE })) {
        seen += page.sessions.length;
        total = page.total_count;
      }
      if (seen !== total) throw new Error(`walked ${seen} of ${total} sessions`);
    };
  }
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
  ListInstancesSessionRequest: new () => VendorListRequest;
}
interface VendorListRequest {
  withNodeId(id: string): VendorListRequest;
  withOffset(offset: number): VendorListRequest;
  withLimit(limit: number): VendorListRequest;
}
interface VendorClient {
  clearInstanceSessions(request: unknown): Promise<{ httpStatusCode?: number }>;
  listInstancesSession(
    request: VendorListRequest,
  ): Promise<{ httpStatusCode?: number; sessions?: unknown[]; total_count?: number; totalCount?: number }>;
}

function vendorSdk(auth: Auth, target: Target, operation: Operation): Call {
  if (auth === "token") throw new Error("the vendor SDK has no token credentials: it signs every request with AK/SK");
  const require = createRequire(join(vendorDir, "package.json"));
  const core = require(vendorCorePackage) as VendorCore;
  const service = require(vendorServicePackage) as VendorService;
  const creds = new core.BasicCredentials().withAk(target.accessKey).withSk(target.secretKey).withProjectId(target.projectId);
  const sdk = service.GaussDBforNoSQLClient.newBuilder().withCredential(creds).withEndpoint(target.url).build();
  if (operation !== "close") {
    const nodeId = nodeOf(target);
    return listCall(operation, async (offset) => {
      const request = new service.ListInstancesSessionRequest().withNodeId(nodeId).withOffset(offset).withLimit(PAGE_SIZE);
      const result = await sdk.listInstancesSession(request);
      if (result.httpStatusCode !== 200) throw new Error(`HTTP ${result.httpStatusCode}`);
      return { count: result.sessions?.length ?? 0, total: result.total_count ?? result.totalCount ?? 0 };
    });
  }
  return async () => {
    const result = await sdk.clearInstanceSessions(new service.ClearInstanceSessionsRequest().withInstanceId(target.instanceId));
    if (result.httpStatusCode !== 200) throw new Error(`HTTP ${result.httpStatusCode}`);
  };
}

export function createCall(alternative: AlternativeKey, auth: Auth, target: Target, operation: Operation = "close"): Call {
  switch (alternative) {
    case "raw-http":
      if (operation !== "close") throw new Error("the raw node:http baseline is written for closeInstanceSessions only");
      return rawHttp(auth, target);
    case "raw-fetch":
      return operation === "close" ? rawFetch(auth, target) : listCall(operation, rawFetchList(auth, target));
    case "client":
      return client(auth, target, "default", operation);
    case "client-global-fetch":
      return client(auth, target, "global-fetch", operation);
    case "typescript-fetch":
      return typescriptFetch(auth, target, operation);
    case "vendor-sdk":
      return vendorSdk(auth, target, operation);
  }
}
