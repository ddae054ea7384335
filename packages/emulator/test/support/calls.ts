import { signRequest } from "@geminidb-sessions/core";
import type { RunningEmulator } from "../../src/index.js";
import { type ObservedResponse, observe } from "./conforming-response.js";

/** The operation's path for a project and an instance. */
export function sessionsPath(projectId: string, instanceId: string): string {
  return `/v3/${projectId}/instances/${instanceId}/sessions`;
}

/** Calls the operation with `X-Auth-Token` (the demo token unless another is given). */
export async function deleteWithToken(
  emulator: RunningEmulator,
  instanceId: string,
  options: { token?: string; projectId?: string; method?: string } = {},
): Promise<ObservedResponse> {
  const path = sessionsPath(options.projectId ?? emulator.credentials.projectId, instanceId);
  const response = await fetch(`${emulator.url}${path}`, {
    method: options.method ?? "DELETE",
    headers: { "X-Auth-Token": options.token ?? emulator.credentials.token },
  });
  return observe(response);
}

/** Calls the operation signed with AK/SK by core's `signRequest`. */
export async function deleteSigned(
  emulator: RunningEmulator,
  instanceId: string,
  options: {
    date?: Date;
    accessKey?: string;
    secretKey?: string;
    securityToken?: string;
    projectId?: string;
    scopeHeader?: string;
    /** An `X-Security-Token` added after signing, so not among the signed headers. */
    unsignedSecurityToken?: string;
  } = {},
): Promise<ObservedResponse> {
  const url = `${emulator.url}${sessionsPath(options.projectId ?? emulator.credentials.projectId, instanceId)}`;
  const credentials = {
    accessKey: options.accessKey ?? emulator.credentials.accessKey,
    secretKey: options.secretKey ?? emulator.credentials.secretKey,
    ...(options.securityToken === undefined ? {} : { securityToken: options.securityToken }),
  };
  const headers = await signRequest({ method: "DELETE", url, headers: {} }, credentials, {
    ...(options.date === undefined ? {} : { date: options.date }),
    ...(options.scopeHeader === undefined ? {} : { projectId: options.scopeHeader }),
  });
  const sent = options.unsignedSecurityToken === undefined ? headers : { ...headers, "X-Security-Token": options.unsignedSecurityToken };
  return observe(await fetch(url, { method: "DELETE", headers: sent }));
}

/** Calls the admin API with the emulator's admin token (unless `token` says otherwise; `null` sends none). */
export function adminFetch(
  emulator: RunningEmulator,
  path: string,
  init: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const token = init.token === undefined ? emulator.adminToken : init.token;
  return fetch(`${emulator.adminUrl}${path}`, {
    method: init.method ?? "GET",
    headers: {
      ...(token === null ? {} : { "X-Admin-Token": token }),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}
