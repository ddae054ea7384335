import { formatNumber } from "../lib/report.js";
import { median, pairwise, ratio } from "../lib/stats.js";
import type { AlternativeKey } from "./protocol.js";

/** The in-process figures of section 3b that explain a per-call gap (medians, µs CPU per call). */
export interface OverheadFigures {
  clientOwnToken: number;
  clientOwnAksk: number;
  coreSign: number;
  /** The same signature with Web Crypto and a key import per call: what core paid before. */
  webSign: number;
  rawSign: number;
  /** core's transport on parts (`sendCall`) over the stub, token, minus the stub. */
  coreFetch: number;
  /** openapi-fetch alone over the stub, minus the stub. */
  openapiFetch: number;
}

/** One measured group of section 3 (one auth, one concurrency): samples per flavor. */
export type GroupSamples = Record<AlternativeKey, { callsPerSecond: number[]; cpuMicrosPerCall: number[]; excluded?: string }>;

const us = (value: number) => `${formatNumber(value, 0)} µs`;
const times = (value: number) => `${formatNumber(value, 2)}×`;

/**
 * What limits the client in a per-call comparison, in numbers from this run: its own
 * CPU per call against the baseline's, the share that is fetch itself (raw fetch
 * against raw node:http), signing where AK/SK is used, and what the client reaches
 * on Node's global fetch instead of its default node:http transport.
 */
export function explainPerCallGap(
  group: GroupSamples,
  versus: AlternativeKey,
  aksk: boolean,
  overhead: OverheadFigures | undefined,
): string {
  const cpu = (key: AlternativeKey) => median(group[key].cpuMicrosPerCall);
  const callsRatio = (a: AlternativeKey, b: AlternativeKey) => median(pairwise(group[a].callsPerSecond, group[b].callsPerSecond, ratio));
  const parts: string[] = [];
  parts.push(
    `CPU per call in the client process: client ${us(cpu("client"))}, ${versus === "vendor-sdk" ? "vendor SDK" : "raw fetch"} ${us(cpu(versus))}`,
  );
  if (aksk && overhead) {
    parts.push(
      `signing: core's signRequest takes ${us(overhead.coreSign)} per signature (Web Crypto with a key import per call took ${us(overhead.webSign)}; bare node:crypto ${us(overhead.rawSign)}) (3b); the client's own work over a stub fetch is ${us(overhead.clientOwnAksk)} with AK/SK`,
    );
  } else if (overhead) {
    parts.push(
      `the client's own work over a stub fetch is ${us(overhead.clientOwnToken)} (3b): core's transport ${us(overhead.coreFetch)}; openapi-fetch, in the path only once middleware is added, ${us(overhead.openapiFetch)}`,
    );
  }
  if (versus === "vendor-sdk") {
    parts.push(
      "the vendor SDK signs with synchronous node:crypto, as core now does where it can, and sends with axios over node:http keep-alive: it does not pay for fetch",
    );
  } else if (!group["raw-http"].excluded) {
    const fetchCost = cpu("raw-fetch") - cpu("raw-http");
    const clientCost = cpu("client") - cpu("raw-fetch");
    parts.push(
      `fetch itself costs ${us(fetchCost)} per call more than node:http (raw fetch reaches ${times(callsRatio("raw-fetch", "raw-http"))} its calls/s), ` +
        (fetchCost > clientCost
          ? "more than the client adds on top of fetch"
          : `less than the ${us(clientCost)} the client adds on top of fetch`),
    );
  }
  if (!group["client-global-fetch"].excluded && !group[versus].excluded) {
    parts.push(
      `on Node's global fetch (\`fetch: globalThis.fetch\`) the client reaches ${times(callsRatio("client-global-fetch", versus))} ${versus === "vendor-sdk" ? "the vendor SDK" : "raw fetch"}`,
    );
  }
  return `${parts.join("; ")}.`;
}
