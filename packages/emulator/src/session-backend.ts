/** Where one node's sessions live: a counter, or a real Redis server. */
export interface SessionBackend {
  readonly kind: "memory" | "redis";
  /** The node's Redis server, in Redis mode. */
  readonly address: { host: string; port: number } | undefined;
  /** Sessions open on the node now. */
  count(): Promise<number>;
  /** Opens `count` more sessions (in Redis mode: real connections the emulator holds). */
  open(count: number): Promise<void>;
  /** Closes every session on the node; resolves to how many were closed. */
  closeAll(): Promise<number>;
  /** Releases what the backend holds (connections, a spawned server). */
  dispose(): Promise<void>;
}

/** Sessions as a number: what a node without a Redis server holds. */
export class MemorySessionBackend implements SessionBackend {
  readonly kind = "memory";
  readonly address = undefined;
  #sessions: number;

  constructor(initial = 0) {
    this.#sessions = initial;
  }

  async count(): Promise<number> {
    return this.#sessions;
  }

  async open(count: number): Promise<void> {
    this.#sessions += count;
  }

  async closeAll(): Promise<number> {
    const closed = this.#sessions;
    this.#sessions = 0;
    return closed;
  }

  async dispose(): Promise<void> {}
}
