import { randomBytes } from "node:crypto";

/** A fresh request ID: 32 lowercase hex characters, like the service's. */
export function newRequestId(): string {
  return randomBytes(16).toString("hex");
}
