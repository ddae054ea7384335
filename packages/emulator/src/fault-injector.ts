import { EmulatorConfigError } from "./config-error.js";
import type { ActiveFaultRule, FaultEffect, FaultRule } from "./fault-rule.js";
import { InputReader } from "./input-reader.js";
import { maxFaultLatencyMs, readFaultRule } from "./parse-fault-rule.js";

/** What the fault rules decided for one request. */
export interface FaultDecision {
  /** Total latency to add before answering (capped). */
  latencyMs: number;
  /** The first firing rule's non-latency effect, which replaces the normal answer. */
  effect: Exclude<FaultEffect, { type: "latency" }> | undefined;
}

/** The most rules held at once, so the admin API cannot grow memory without bound. */
export const maxFaultRules = 1_000;

/** Adds, removes and lists fault rules; see {@link FaultRule} for how a rule fires. */
export interface FaultController {
  /** Adds a rule (checked like a config file's) and returns its ID. */
  add(rule: FaultRule): string;
  /** Removes one rule; false when there was none with that ID. */
  remove(id: string): boolean;
  /** Removes every rule. */
  clear(): void;
  /** Every rule with its counters, in the order they were added. */
  list(): ActiveFaultRule[];
}

/** Holds the rules and decides, request by request and deterministically, which fire. */
export class FaultInjector implements FaultController {
  readonly #rules: ActiveFaultRule[] = [];
  #nextId = 1;

  add(rule: FaultRule): string {
    const reader = new InputReader();
    const checked = readFaultRule(reader, rule, "fault");
    if (!checked || reader.issues.length > 0) throw new EmulatorConfigError("Invalid fault rule", reader.issues);
    if (this.#rules.length >= maxFaultRules) throw new EmulatorConfigError(`At most ${maxFaultRules} fault rules can be active`);
    const id = checked.id ?? `fault-${this.#nextId++}`;
    if (this.#rules.some((existing) => existing.id === id)) throw new EmulatorConfigError(`A fault rule with id ${id} exists already`);
    this.#rules.push({ ...checked, id, seen: 0, fired: 0 });
    return id;
  }

  remove(id: string): boolean {
    const index = this.#rules.findIndex((rule) => rule.id === id);
    if (index === -1) return false;
    this.#rules.splice(index, 1);
    return true;
  }

  clear(): void {
    this.#rules.length = 0;
  }

  list(): ActiveFaultRule[] {
    return this.#rules.map((rule) => ({ ...rule, effect: { ...rule.effect } }));
  }

  /** Counts the request against every rule in scope and returns what fires. */
  decide(instanceSegment: string): FaultDecision {
    let latencyMs = 0;
    let effect: FaultDecision["effect"];
    for (const rule of this.#rules) {
      if (rule.instanceId !== undefined && rule.instanceId !== instanceSegment) continue;
      rule.seen += 1;
      const fires = rule.nth !== undefined ? rule.seen === rule.nth : rule.first !== undefined ? rule.seen <= rule.first : true;
      if (!fires) continue;
      if (rule.effect.type === "latency") {
        rule.fired += 1;
        latencyMs += rule.effect.ms;
      } else if (effect === undefined) {
        rule.fired += 1;
        effect = rule.effect;
      }
    }
    return { latencyMs: Math.min(latencyMs, maxFaultLatencyMs), effect };
  }
}
