import { createInterface } from "node:readline";

/** A stream the CLI reads instance IDs and confirmation answers from. */
export type CliInput = NodeJS.ReadableStream & { isTTY?: boolean | undefined };

/** A stream the CLI writes to; `isTTY` decides progress display and colors. */
export type CliOutput = NodeJS.WritableStream & { isTTY?: boolean | undefined; columns?: number | undefined };

/**
 * Everything the CLI touches in its process: the bin passes the real ones, tests
 * and embedders their own.
 */
export interface CliIo {
  stdin: CliInput;
  /** Results: tables, the `--json` object, the dry run's requests. */
  stdout: CliOutput;
  /** Progress, warnings, prompts, `--verbose` lines and error details. */
  stderr: CliOutput;
  /** The environment variables to read (credentials, project ID, proxy, `NO_COLOR`). */
  env: Record<string, string | undefined>;
  /** When it aborts, requests in flight are abandoned and the run ends with exit code 130. */
  signal?: AbortSignal | undefined;
  /**
   * True when stdout and stderr go to the same place (`2>&1`, one terminal): then a
   * result is printed once, in the results on stdout, not also as a progress line.
   */
  sameOutput?: boolean | undefined;
}

/** Wraps text in terminal colors, or leaves it as is. */
export interface Style {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const plain: Style = { green: (t) => t, red: (t) => t, yellow: (t) => t, bold: (t) => t, dim: (t) => t };
const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const colored: Style = { green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39), bold: sgr(1, 22), dim: sgr(2, 22) };

/**
 * Colors only for a terminal, and never when `NO_COLOR` is set to anything non-empty
 * (https://no-color.org) or `TERM` is `dumb`.
 */
export function styleFor(stream: CliOutput, env: Record<string, string | undefined>): Style {
  const noColor = (env.NO_COLOR ?? "") !== "" || env.TERM === "dumb";
  return stream.isTTY === true && !noColor ? colored : plain;
}

/** Whether a person can be asked: both the input and the stream the question goes to are terminals. */
export function canAsk(stdin: CliInput, stderr: CliOutput): boolean {
  return stdin.isTTY === true && stderr.isTTY === true;
}

/**
 * Asks `question` on stderr and reads one line from stdin. Resolves true only for
 * `y` or `yes` (any case); anything else, end of input (Ctrl-D) or Ctrl-C resolves
 * false. Ctrl-C and Ctrl-D end the prompt's line, so what follows starts on a new one.
 */
export function confirm(stdin: CliInput, stderr: CliOutput, question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const readline = createInterface({ input: stdin, output: stderr, terminal: true });
    let answered = false;
    const finish = (yes: boolean) => {
      if (answered) return;
      answered = true;
      readline.close();
      resolve(yes);
    };
    readline.on("SIGINT", () => {
      stderr.write("\n");
      finish(false);
    });
    readline.on("close", () => {
      // Closed without an answer: end of input (Ctrl-D).
      if (!answered) stderr.write("\n");
      finish(false);
    });
    readline.question(question, (answer) => finish(/^(y|yes)$/i.test(answer.trim())));
  });
}

/** A progress display for a run over several targets (instances or nodes). */
export interface Progress {
  started(target: string): void;
  /** A line about one event (a result, a retry); `result` lines are left out when stdout and stderr are one stream. */
  event(line: string, kind: "result" | "retry"): void;
  /** Counts for the status line. */
  finished(succeeded: boolean): void;
  done(): void;
}

/**
 * Progress on stderr. On a terminal: one status line rewritten in place
 * (`[2/5] 1 closed, 1 failed, 2 running`), with event lines scrolling above it.
 * Elsewhere (a pipe, a log file): plain lines only, one per event, no control
 * characters. `verb` names a success (`closed`). Lines must already be clean.
 */
export function createProgress(io: CliIo, style: Style, total: number, verb: string, startVerb: string): Progress {
  const { stderr } = io;
  const interactive = stderr.isTTY === true;
  const write = (text: string) => stderr.write(text);
  let running = 0;
  let succeeded = 0;
  let failed = 0;
  let statusShown = false;

  const status = () => {
    const parts = [`${succeeded} ${verb}`, ...(failed > 0 ? [style.red(`${failed} failed`)] : []), `${running} running`];
    write(`\r\x1b[2K${style.bold(`[${succeeded + failed}/${total}]`)} ${parts.join(", ")}`);
    statusShown = true;
  };
  const clearStatus = () => {
    if (statusShown) write("\r\x1b[2K");
    statusShown = false;
  };

  return {
    started(target) {
      running++;
      if (interactive) status();
      else write(`${startVerb} ${target}\n`);
    },
    event(line, kind) {
      if (kind === "result" && io.sameOutput === true) return;
      if (!interactive) return void write(`${line}\n`);
      clearStatus();
      write(`${line}\n`);
      status();
    },
    finished(ok) {
      running--;
      if (ok) succeeded++;
      else failed++;
      if (interactive) status();
    },
    done() {
      if (interactive) clearStatus();
    },
  };
}
