import { createInterface } from "node:readline";
import type { CliInput, CliOutput } from "./io.js";

/** Whether a person can be asked: both the input and the stream the question goes to are terminals. */
export function canAsk(stdin: CliInput, stderr: CliOutput): boolean {
  return stdin.isTTY === true && stderr.isTTY === true;
}

/**
 * Asks `question` on stderr and reads one line from stdin. Resolves true only for
 * `y` or `yes` (any case); anything else, end of input (Ctrl-D) or Ctrl-C resolves false.
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
    readline.on("close", () => finish(false));
    readline.question(question, (answer) => finish(/^(y|yes)$/i.test(answer.trim())));
  });
}
