/** A reply of the Redis protocol (RESP2). */
export type RespValue = string | number | null | RespError | RespValue[];

/** An error reply (`-ERR ...`). */
export class RespError extends Error {
  override readonly name = "RespError";
}

/** The largest bulk string or array a reply may announce; larger ones are a protocol error. */
const maxLength = 512 * 1024 * 1024;

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.from(arg, "utf8");
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

/** Thrown when the bytes are not RESP; the connection cannot be trusted afterwards. */
export class RespProtocolError extends Error {
  override readonly name = "RespProtocolError";
}

type Parsed = { value: RespValue; end: number } | undefined;

function readLine(buffer: Buffer, start: number): { line: string; end: number } | undefined {
  const crlf = buffer.indexOf("\r\n", start);
  if (crlf === -1) return undefined;
  return { line: buffer.toString("utf8", start, crlf), end: crlf + 2 };
}

function readLength(text: string): number {
  const length = Number(text);
  if (!Number.isInteger(length) || length < -1 || length > maxLength) throw new RespProtocolError(`bad length ${text}`);
  return length;
}

function parseAt(buffer: Buffer, start: number): Parsed {
  if (start >= buffer.length) return undefined;
  const header = readLine(buffer, start + 1);
  if (!header) return undefined;
  const type = String.fromCharCode(buffer[start] ?? 0);
  switch (type) {
    case "+":
      return { value: header.line, end: header.end };
    case "-":
      return { value: new RespError(header.line), end: header.end };
    case ":": {
      const value = Number(header.line);
      if (!Number.isFinite(value)) throw new RespProtocolError(`bad integer ${header.line}`);
      return { value, end: header.end };
    }
    case "$": {
      const length = readLength(header.line);
      if (length === -1) return { value: null, end: header.end };
      if (buffer.length < header.end + length + 2) return undefined;
      return { value: buffer.toString("utf8", header.end, header.end + length), end: header.end + length + 2 };
    }
    case "*": {
      const length = readLength(header.line);
      if (length === -1) return { value: null, end: header.end };
      const items: RespValue[] = [];
      let position = header.end;
      for (let index = 0; index < length; index++) {
        const item = parseAt(buffer, position);
        if (!item) return undefined;
        items.push(item.value);
        position = item.end;
      }
      return { value: items, end: position };
    }
    default:
      throw new RespProtocolError(`unexpected reply type ${JSON.stringify(type)}`);
  }
}

/** Splits a byte stream into replies, keeping an incomplete tail for the next chunk. */
export class RespReader {
  #pending: Buffer = Buffer.alloc(0);

  /** Adds bytes; returns every reply now complete, in order. */
  push(chunk: Buffer): RespValue[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const replies: RespValue[] = [];
    let position = 0;
    for (;;) {
      const parsed = parseAt(this.#pending, position);
      if (!parsed) break;
      replies.push(parsed.value);
      position = parsed.end;
    }
    this.#pending = this.#pending.subarray(position);
    return replies;
  }
}
