import type { CliOutput } from "./io.js";

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
