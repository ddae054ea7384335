import { describe, expect, it } from "vitest";
import { encodeCommand, RespError, RespProtocolError, RespReader } from "../src/redis/redis-connection.js";

describe("RESP", () => {
  it("encodes a command as an array of bulk strings, counting bytes not characters", () => {
    expect(encodeCommand(["CLIENT", "KILL", "é"]).toString("utf8")).toBe("*3\r\n$6\r\nCLIENT\r\n$4\r\nKILL\r\n$2\r\né\r\n");
  });

  it("reads every reply type, across chunk boundaries", () => {
    const reader = new RespReader();
    const bytes = Buffer.from("+OK\r\n-ERR no\r\n:42\r\n$5\r\nhello\r\n$-1\r\n*2\r\n:1\r\n$1\r\nx\r\n");
    const replies = [];
    for (const byte of bytes) replies.push(...reader.push(Buffer.from([byte])));
    expect(replies).toEqual(["OK", new RespError("ERR no"), 42, "hello", null, [1, "x"]]);
    expect(replies[1]).toBeInstanceOf(RespError);
  });

  it("keeps an incomplete bulk string until the rest arrives", () => {
    const reader = new RespReader();
    expect(reader.push(Buffer.from("$10\r\nid=1 a"))).toEqual([]);
    expect(reader.push(Buffer.from("ge=0\r\n"))).toEqual(["id=1 age=0"]);
  });

  it("refuses bytes that are not RESP", () => {
    expect(() => new RespReader().push(Buffer.from("?what\r\n"))).toThrow(RespProtocolError);
    expect(() => new RespReader().push(Buffer.from("$-5\r\n"))).toThrow(RespProtocolError);
  });
});
