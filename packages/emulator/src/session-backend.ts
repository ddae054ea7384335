import type { Session } from "@geminidb-sessions/validation";

/** Where one node's sessions live: records in memory, or a real Redis server's clients. */
export interface SessionBackend {
  readonly kind: "memory" | "redis";
  /** The node's Redis server, in Redis mode. */
  readonly address: { host: string; port: number } | undefined;
  /** The sessions open on the node now, most recently created first, as the spec's `Session`. */
  list(): Promise<Session[]>;
  /** Sessions open on the node now. */
  count(): Promise<number>;
  /**
   * Opens `count` more sessions (in Redis mode: real connections the emulator holds). In
   * memory, `idleSeconds` backdates their last activity (Redis keeps its own clock).
   */
  open(count: number, options?: { idleSeconds?: number }): Promise<void>;
  /** Closes every session on the node; resolves to how many were closed. */
  closeAll(): Promise<number>;
  /** Closes the sessions with these IDs (unknown IDs are skipped); resolves to how many were closed. */
  close(ids: readonly string[]): Promise<number>;
  /** Releases what the backend holds (connections, a spawned server). */
  dispose(): Promise<void>;
}

interface MemorySession {
  id: number;
  createdAt: number;
  /** When it last ran a command; undefined for a busy client, which is never idle. */
  lastActiveAt: number | undefined;
}

/**
 * Sessions as records: what a node without a Redis server holds. Addresses come from the
 * documentation range 192.0.2.0/24 (RFC 5737) in a few source IPs, so statistics have
 * something to group. A session opened without `idleSeconds` is a busy client (idle 0,
 * last command `get`); one opened with it has been idle that long, and its idle time grows.
 */
export class MemorySessionBackend implements SessionBackend {
  readonly kind = "memory";
  readonly address = undefined;
  #sessions: MemorySession[] = [];
  #nextId = 1;

  async list(): Promise<Session[]> {
    const now = Date.now();
    const seconds = (ms: number) => String(Math.max(0, Math.floor(ms / 1000)));
    return [...this.#sessions].reverse().map((s) => ({
      id: String(s.id),
      name: "",
      addr: `192.0.2.${10 + (s.id % 3)}:${40000 + s.id}`,
      cmd: s.lastActiveAt === undefined ? "get" : "ping",
      age: seconds(now - s.createdAt),
      idle: s.lastActiveAt === undefined ? "0" : seconds(now - s.lastActiveAt),
      db: String(s.id % 2),
      fd: String(s.id + 8),
      sub: "0",
      psub: "0",
      multi: "-1",
    }));
  }

  async count(): Promise<number> {
    return this.#sessions.length;
  }

  async open(count: number, options: { idleSeconds?: number } = {}): Promise<void> {
    const now = Date.now();
    for (let i = 0; i < count; i++) {
      this.#sessions.push({
        id: this.#nextId++,
        createdAt: now - (options.idleSeconds ?? 0) * 1000,
        lastActiveAt: options.idleSeconds === undefined ? undefined : now - options.idleSeconds * 1000,
      });
    }
  }

  async closeAll(): Promise<number> {
    return this.#sessions.splice(0).length;
  }

  async close(ids: readonly string[]): Promise<number> {
    const wanted = new Set(ids);
    const before = this.#sessions.length;
    this.#sessions = this.#sessions.filter((session) => !wanted.has(String(session.id)));
    return before - this.#sessions.length;
  }

  async dispose(): Promise<void> {}
}
