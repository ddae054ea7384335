import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { binPath } from "./paths.js";

const bridge = fileURLToPath(new URL("./pty-bridge.py", import.meta.url));

/** Why terminal tests cannot run here, or undefined when they can (they need python3 for its `pty` module). */
export const terminalUnavailable: string | undefined =
  spawnSync("python3", ["-c", "import pty"], { stdio: "ignore" }).status === 0 ? undefined : "python3 with its pty module is not installed";

/** A run of the bin in a pseudo-terminal. */
export interface TerminalRun {
  code: number | null;
  /** Everything the terminal showed (stdout and stderr interleaved, CR LF line ends, escape sequences kept). */
  output: string;
}

/**
 * Runs `geminidb-sessions <args>` in a pseudo-terminal (stdin, stdout and stderr all
 * terminals), with only PATH, TERM and `env` in its environment. When the output first
 * shows `answer.when`, types `answer.text` followed by Enter (unless `enter` is false).
 * `script` runs instead of the bin when given (e.g. the full CLI, `fullCliPath()`).
 */
export function runInTerminal(
  args: string[],
  env: Record<string, string>,
  answer?: { when: string; text: string; enter?: boolean },
  script: string = binPath,
): Promise<TerminalRun> {
  const child = spawn("python3", [bridge, process.execPath, script, ...args], {
    env: { PATH: process.env.PATH ?? "", TERM: "xterm-256color", ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let output = "";
  let answered = false;
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (answer !== undefined && !answered && output.includes(answer.when)) {
      answered = true;
      child.stdin.write(answer.enter === false ? answer.text : `${answer.text}\r`);
    }
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      child.stdin.end();
      resolve({ code, output });
    });
  });
}
