import { type ApiError, apiErrorClassFor } from "./errors.js";
import { parseErrorBody } from "./input-checks.js";
import { redactHeaders, scrubSecrets } from "./redact.js";
import { parseRetryAfter } from "./retry.js";

/** The most of an error body kept (and read): error bodies are small; a proxy's HTML page need not be read whole. */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_SNIPPET_CHARS = 120;
const MAX_MESSAGE_CHARS = 300;

/** Options of `errorFromResponse`. */
export interface ErrorFromResponseOptions {
  /** The clock an HTTP-date `Retry-After` is measured against (ms since the epoch). Default `Date.now`. */
  now?: () => number;
  /** Strings masked as `***` wherever the body or message would show them (the client passes its credentials). */
  secrets?: readonly string[];
  /**
   * The request's path parameters by their spec name (`{ instance_id, node_id }`), so the
   * message can name what was not found; `project_id` is left out of the message.
   */
  pathParameters?: Readonly<Record<string, string>> | undefined;
}

async function readBody(response: Response): Promise<{ text: string; complete: boolean }> {
  if (response.body === null) return { text: "", complete: true };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode(), complete: true };
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
      if (bytes >= MAX_BODY_BYTES) {
        await reader.cancel().catch(() => {});
        return { text: text.slice(0, MAX_BODY_BYTES), complete: false };
      }
    }
  } catch {
    // The connection ended mid-body (truncated), or the attempt's signal aborted it: keep what arrived.
    return { text: text + decoder.decode(), complete: false };
  }
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/** One line of printable text: control characters become spaces, runs of blanks collapse, the end is cut. */
export function oneLine(text: string, max: number): string {
  let printable = "";
  for (const char of text) printable += isControl(char.codePointAt(0) ?? 0) ? " " : char;
  const flat = printable.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * The readable text of an HTML page, once: scripts and styles dropped, tags removed, each
 * piece of text (a title, a heading, a line) kept the first time only, and a leading
 * `status` code dropped (the message already says it). A proxy's
 * `<title>502 Bad Gateway</title>…<h1>502 Bad Gateway</h1><hr>nginx` reads `Bad Gateway — nginx`.
 */
function htmlText(html: string, status: number | undefined): string {
  const pieces: string[] = [];
  const seen = new Set<string>();
  const text = html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?(<\/\1\s*>|$)/gi, " ")
    .replace(/<!--[\s\S]*?(-->|$)/g, " ")
    // Block-level tags end a piece of text; inline ones (<b>, <a>, ...) do not.
    .replace(/<\/?(title|h[1-6]|p|div|hr|br|center|li|tr|td|th|body|head|html|header|footer|section|pre|table|ul|ol)\b[^>]*>/gi, "\n")
    .replace(/<[^>]*>?/g, " ");
  for (const raw of text.split("\n")) {
    let piece = oneLine(raw.replace(/&nbsp;/g, " ").replace(/&amp;/g, "&"), MAX_SNIPPET_CHARS);
    if (status !== undefined && (piece === String(status) || piece.startsWith(`${status} `)))
      piece = piece.slice(String(status).length).trim();
    const key = piece.toLowerCase();
    if (piece === "" || seen.has(key)) continue;
    seen.add(key);
    pieces.push(piece);
  }
  return pieces.join(" — ");
}

/** A short readable snippet of a body that is not an error body: HTML is reduced to its text, each piece once. */
export function snippet(text: string, max: number = MAX_SNIPPET_CHARS, status?: number): string {
  // Only the start can show: a huge body need not be scanned whole.
  const start = text.length > max * 64 ? text.slice(0, max * 64) : text;
  const looksLikeHtml = /^\s*</.test(start);
  return oneLine(looksLikeHtml ? htmlText(start, status) : start, max);
}

/** ` for instance c865…, node 784b…` for the path parameters that name a resource (not the project). */
function resourceText(pathParameters: Readonly<Record<string, string>> | undefined): string {
  if (pathParameters === undefined) return "";
  const named = Object.entries(pathParameters).filter(([name]) => name !== "project_id");
  if (named.length === 0) return "";
  return ` for ${named.map(([name, value]) => `${name.replace(/_id$/, "").replace(/_/g, " ")} ${oneLine(value, 80)}`).join(", ")}`;
}

/**
 * The typed error for a non-2xx response: the `ApiError` subclass for its
 * status, with the code, message and request ID read from either body form
 * (`{error_code,error_msg}` or `{error:{code,message}}`), the catalog's
 * `retryable`/`meaning`/`remedy`, and `Retry-After` in ms. An empty, truncated,
 * non-JSON or HTML body never throws: the error then carries the status and a
 * short sanitized snippet. It reads (and so consumes) the response body.
 *
 * @example
 * const response = await fetch(url, init);
 * if (!response.ok) throw await errorFromResponse(response);
 */
export async function errorFromResponse(response: Response, options: ErrorFromResponseOptions = {}): Promise<ApiError> {
  const secrets = options.secrets ?? [];
  // A server may echo a credential in a header of its own (`www-authenticate`, a debug header): masked like the body.
  const headers = redactHeaders(response.headers, secrets);
  const { text: rawText, complete } = await readBody(response);
  // A body cut off at the limit (or mid-way) may end in the first part of a secret: masked too.
  const rawBody = scrubSecrets(rawText, secrets, { truncated: !complete });

  let parsed: ReturnType<typeof parseErrorBody>;
  if (complete && rawBody.trim() !== "") {
    try {
      parsed = parseErrorBody(JSON.parse(rawBody));
    } catch {
      parsed = undefined;
    }
  }
  const requestId = headers["x-request-id"] ?? (parsed?.requestId === undefined ? undefined : scrubSecrets(parsed.requestId, secrets));
  const status = response.status;
  const where = `HTTP ${status}${resourceText(options.pathParameters)}${requestId === undefined ? "" : `, request ${oneLine(requestId, 80)}`}`;

  let message: string;
  if (parsed !== undefined) {
    const text = oneLine(parsed.message, MAX_MESSAGE_CHARS);
    message = `${oneLine(parsed.code, 80)}: ${text === "" ? "(no message)" : text} (${where})`;
  } else if (rawBody.trim() === "") {
    message = `${where} with ${complete ? "an empty body" : "a body that ended before it was complete"}`;
  } else {
    message = `${where}: ${snippet(rawBody, MAX_SNIPPET_CHARS, status)}${complete ? "" : " (body incomplete)"}`;
  }

  const ErrorClass = apiErrorClassFor(status);
  return new ErrorClass({
    status,
    code: parsed?.code,
    message: scrubSecrets(message, secrets),
    requestId,
    headers,
    rawBody,
    retryAfterMs: parseRetryAfter(headers["retry-after"], (options.now ?? Date.now)()),
  });
}
