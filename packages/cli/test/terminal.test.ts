import { demoIds } from "@geminidb-sessions/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { exitCodes } from "../src/results.js";
import { startTestEmulator, type TestEmulator } from "./support/emulator.js";
import { runInTerminal, terminalUnavailable } from "./support/run-in-terminal.js";

const title = terminalUnavailable === undefined ? "on a terminal" : `on a terminal (skipped: ${terminalUnavailable})`;
const prompt = "Continue? [y/N] ";
const esc = "\u001b";
/** Whether `text` holds an SGR (color or weight) sequence: ESC [ <numbers> m. */
const hasSgr = (text: string) =>
  text
    .split(esc)
    .slice(1)
    .some((part) => /^\[\d+(;\d+)*m/.test(part));

describe.skipIf(terminalUnavailable !== undefined)(title, () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  beforeEach(async () => {
    emu.requests.length = 0;
    await emu.emulator.world.openSessions(demoIds.instances.redisProxy, 9);
  });
  afterAll(() => emu.close());

  const closeArgs = () => [
    "close-instance-sessions",
    "--endpoint",
    emu.emulator.url,
    "--instance-id",
    demoIds.instances.redisProxy,
    "--instance-id",
    demoIds.unknownInstanceId,
  ];

  it("asks for confirmation, and on 'yes' closes with a live status line and a colored summary", async () => {
    const run = await runInTerminal(closeArgs(), emu.tokenEnv, { when: prompt, text: "yes" });
    expect(run.code, run.output).toBe(exitCodes.partial);
    expect(run.output).toContain(`About to close ALL sessions on every node of 2 instance(s) in project ${demoIds.projectId}`);
    expect(run.output).toContain(`  ${demoIds.instances.redisProxy}\r\n`);
    // The status line is rewritten in place (CR + erase line), ending at 2 of 2.
    expect(run.output).toContain(`\r${esc}[2K${esc}[1m[0/2]${esc}[22m 0 closed, 1 running`);
    expect(run.output).toContain(`\r${esc}[2K${esc}[1m[2/2]${esc}[22m 1 closed, ${esc}[31m1 failed${esc}[39m, 0 running`);
    // The summary table: the result column in color, its width unchanged.
    expect(run.output).toContain(`${demoIds.instances.redisProxy}  ${esc}[32mclosed${esc}[39m  -`);
    expect(await emu.emulator.world.totalSessions(demoIds.instances.redisProxy)).toBe(0);
    expect(emu.requests).toHaveLength(2);
  });

  it("sends nothing when the answer is not yes (exit 1)", async () => {
    const run = await runInTerminal(closeArgs(), emu.tokenEnv, { when: prompt, text: "n" });
    expect(run.code).toBe(exitCodes.failure);
    expect(run.output).toContain("not confirmed: nothing was sent");
    expect(emu.requests).toEqual([]);
    expect(await emu.emulator.world.totalSessions(demoIds.instances.redisProxy)).toBeGreaterThan(0);
  });

  it("Ctrl-D at the prompt sends nothing and ends the prompt's line, so the next message starts on its own line", async () => {
    const run = await runInTerminal(closeArgs(), emu.tokenEnv, { when: prompt, text: "\u0004", enter: false });
    expect(run.code).toBe(exitCodes.failure);
    // readline may move the cursor (ESC [ n G) before the line ends.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the cursor move is an escape sequence
    expect(run.output).toMatch(/Continue\? \[y\/N\] (\u001b\[\d+G)?\r\nnot confirmed: nothing was sent/);
    expect(emu.requests).toEqual([]);
  });

  it("with NO_COLOR, prints no colors (the status line still updates in place)", async () => {
    const run = await runInTerminal([...closeArgs(), "--yes"], { ...emu.tokenEnv, NO_COLOR: "1" });
    expect(run.code).toBe(exitCodes.partial);
    expect(run.output).not.toContain(prompt);
    expect(hasSgr(run.output)).toBe(false);
    expect(run.output).toContain(`\r${esc}[2K[2/2] 1 closed, 1 failed, 0 running`);
  });

  it("does not wait for IDs on a terminal's stdin: no IDs is a usage error", async () => {
    const run = await runInTerminal(["close-instance-sessions", "--endpoint", emu.emulator.url, "--yes"], emu.tokenEnv);
    expect(run.code).toBe(exitCodes.usage);
    expect(run.output).toContain("no instance IDs");
  });
});
