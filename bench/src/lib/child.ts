import { type ChildProcess, fork } from "node:child_process";

/** A forked TypeScript module (run through tsx) with one request/answer at a time over IPC. */
export class Child<In, Out extends { type: string }> {
  readonly process: ChildProcess;
  #exited: string | undefined;

  constructor(modulePath: string, env: NodeJS.ProcessEnv = process.env) {
    this.process = fork(modulePath, [], { execArgv: ["--import", "tsx"], env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.process.on("exit", (code, signal) => {
      this.#exited = `exited (${signal ?? code})`;
    });
  }

  /** The next message from the child (after sending `message`, if given); rejects after `timeoutMs` or if the child exits. */
  next(message: In | undefined, timeoutMs: number): Promise<Out> {
    return new Promise((resolve, reject) => {
      if (this.#exited) {
        reject(new Error(`child ${this.#exited}`));
        return;
      }
      /** Stops listening, then settles. */
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.process.off("message", onMessage);
        this.process.off("exit", onExit);
        settle();
      };
      const onMessage = (answer: Out) => done(() => resolve(answer));
      const onExit = () => done(() => reject(new Error(`child ${this.#exited ?? "exited"}`)));
      const timer = setTimeout(() => done(() => reject(new Error(`no answer from the child within ${timeoutMs} ms`))), timeoutMs);
      this.process.on("message", onMessage);
      this.process.on("exit", onExit);
      if (message !== undefined) this.process.send(message as object);
    });
  }

  /** Ends the child (it also ends itself when the IPC channel closes). */
  stop(): void {
    if (this.process.connected) this.process.disconnect();
    if (this.#exited === undefined) this.process.kill();
  }
}
