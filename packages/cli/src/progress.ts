import type { CloseListener } from "./close-instances.js";
import type { InstanceResult } from "./instance-result.js";
import type { CliOutput } from "./io.js";
import type { Style } from "./style.js";

/** A progress display: the run's listener, plus `done()` once every instance has a result. */
export interface Progress extends CloseListener {
  done(): void;
}

/** The line printed when an instance has a result. */
export function resultLine(result: InstanceResult, style: Style): string {
  if (result.status === "closed") return `${style.green("closed ")} ${result.instanceId}  request ${result.requestId ?? "-"}`;
  if (result.status === "aborted") return `${style.yellow("aborted")} ${result.instanceId}  ${result.message ?? ""}`;
  const http = result.httpStatus === undefined ? "" : ` (HTTP ${result.httpStatus})`;
  return `${style.red("failed ")} ${result.instanceId}  ${result.code ?? "error"}${http}  request ${result.requestId ?? "-"}`;
}

function retryLine(instanceId: string, reason: string, delayMs: number, style: Style): string {
  return `${style.yellow("retry  ")} ${instanceId}  ${reason}, again in ${delayMs} ms`;
}

/**
 * Progress on stderr. On a terminal: one status line rewritten in place
 * (`[2/5] 1 closed, 1 failed, 2 running`), with a line per result or retry scrolling
 * above it. Elsewhere (a pipe, a log file): plain lines only, one per event, no
 * control characters, so logs stay readable.
 */
export function createProgress(stderr: CliOutput, style: Style, total: number): Progress {
  const interactive = stderr.isTTY === true;
  const write = (text: string) => stderr.write(text);
  const running = new Set<string>();
  let closed = 0;
  let failed = 0;
  let statusShown = false;

  const status = () => {
    const finished = closed + failed;
    const parts = [`${closed} closed`, ...(failed > 0 ? [style.red(`${failed} failed`)] : []), `${running.size} running`];
    const line = `${style.bold(`[${finished}/${total}]`)} ${parts.join(", ")}`;
    write(`\r\x1b[2K${line}`);
    statusShown = true;
  };
  const clearStatus = () => {
    if (statusShown) write("\r\x1b[2K");
    statusShown = false;
  };
  const event = (line: string) => {
    if (!interactive) return write(`${line}\n`);
    clearStatus();
    write(`${line}\n`);
    status();
  };

  return {
    started(instanceId) {
      running.add(instanceId);
      if (interactive) status();
      else write(`closing ${instanceId}\n`);
    },
    retrying(instanceId, reason, delayMs) {
      event(retryLine(instanceId, reason, delayMs, style));
    },
    finished(result) {
      if (result.status === "closed") closed++;
      else failed++;
      running.delete(result.instanceId);
      event(resultLine(result, style));
    },
    done() {
      if (interactive) clearStatus();
    },
  };
}
