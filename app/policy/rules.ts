import type { Money } from "./money";

/** Every rule id of POLICY.md. Code, tests and the admin UI name rules by these ids. */
export const RULE_IDS = [
  "INV-1",
  "INV-2",
  "INV-3",
  "INV-4",
  "PRC-1",
  "SHP-1",
  "SHP-2",
  "SHP-3",
  "SHP-4",
  "SHP-5",
  "TML-1",
  "TML-2",
  "TML-3",
  "TML-4",
  "TML-5",
  "TML-6",
  "TML-7",
  "TML-8",
  "CAN-1",
  "CAN-2",
  "CAN-3",
  "CAN-4",
  "RET-1",
  "RET-2",
  "RET-3",
  "RET-4",
  "RET-5",
  "RET-6",
  "RET-7",
  "RET-8",
  "RET-9",
  "RET-10",
  "RET-11",
  "RET-12",
  "RET-13",
  "WAR-1",
  "WAR-2",
  "WAR-3",
  "WAR-4",
  "WAR-5",
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/**
 * The outcome of applying one rule: whether the action may go ahead, which rule
 * decided it, a stable machine code and a sentence a shopper or staff member can read.
 */
export interface Decision {
  allowed: boolean;
  rule: RuleId;
  code: string;
  message: string;
}

export function allow(rule: RuleId, code: string, message: string): Decision {
  return { allowed: true, rule, code, message };
}

export function deny(rule: RuleId, code: string, message: string): Decision {
  return { allowed: false, rule, code, message };
}

/**
 * A notice shown to a shopper to explain a rule before it bites. `message` is the
 * English text; `key` and `params` let a surface show it in the shopper's language
 * (the checkout extension's locales hold one entry per key, `{{param}}` placeholders).
 */
export interface Notice {
  rule: RuleId;
  key: string;
  /** Money stays Money so each surface formats it for the shopper's locale. */
  params?: Record<string, string | Money>;
  message: string;
}

/** Something an audit found that breaks a rule, for the merchant to fix. */
export interface Finding {
  rule: RuleId;
  code: string;
  message: string;
}
