import { afterEach, beforeEach } from "vitest";
import { type RecordingServer, startRecordingServer } from "./recording-server.js";

/** IDs in the vendor's documented shapes (32 hex; 32 hex + `in12`), shared by every package's tests. */
export const projectId = "619d3e78f61b4be68bc5aa0b59edcf7b";
export const instanceId = "c865f921f3dd45198f209a607533a779in12";

/** Made-up credentials: distinctive, so a test can search any output for them. */
export const token = "MIIT0kenSecretValue-abc123";
export const accessKey = "HPUAEXAMPLEAK1234567";
export const secretKey = "S3cretKeyNeverPrinted0123456789abcdefGHIJ";
export const securityToken = "gQpjTemporarySecurityTokenSecretValue";

/** Starts a fresh recording server on 127.0.0.1 around every test of the calling file. */
export function useServer(): { readonly server: RecordingServer } {
  const holder: { server?: RecordingServer } = {};
  beforeEach(async () => {
    holder.server = await startRecordingServer();
  });
  afterEach(async () => {
    await holder.server?.close();
  });
  return {
    get server() {
      if (holder.server === undefined) throw new Error("server not started");
      return holder.server;
    },
  };
}

/**
 * A `fetch` that counts what the caller sent. A hung attempt may time out before the
 * server on a loaded machine has even accepted the connection, so "how many attempts
 * were made" is asserted here, on the caller's side, not from the server's log.
 */
export function countingFetch(inner: typeof fetch = fetch): { readonly fetch: typeof fetch; readonly sent: () => number } {
  let sent = 0;
  return {
    fetch: (input, init) => {
      sent += 1;
      return inner(input, init);
    },
    sent: () => sent,
  };
}
