import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { packagesDir } from "./paths.js";

/** The emulator's bin, started as users start it, in a process of its own. */
export interface EmulatorProcess {
  url: string;
  adminUrl: string;
  /** The secret admin calls send in `X-Admin-Token`. */
  adminToken: string;
  stop: () => Promise<void>;
}

const bin = join(packagesDir, "emulator", "dist", "bin.js");

/** Starts `geminidb-sessions-emulator --port 0 [--redis]` and reads its URLs and admin token from what it prints. */
export function startEmulatorProcess(redis: boolean): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(process.execPath, [bin, "--port", "0", ...(redis ? ["--redis"] : [])], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    child.kill("SIGTERM");
    const forced = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(forced);
  };
  return new Promise((resolve, reject) => {
    let printed = "";
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the emulator did not start within 60 s:\n${printed}`));
    }, 60_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      printed += chunk.toString();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      printed += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(printed)?.[1];
      const adminUrl = /admin API[^:]*: (http:\/\/\S+)/.exec(printed)?.[1];
      const adminToken = /admin token: +(\S+)/.exec(printed)?.[1];
      if (url && adminUrl && adminToken) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners("data");
        child.stdout?.resume();
        resolve({ url, adminUrl, adminToken, stop });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${code}) before it listened:\n${printed}`));
    });
  });
}
