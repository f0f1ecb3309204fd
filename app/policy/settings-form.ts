import { MoneyError, minorUnitDigits, parseDecimal, type Money } from "./money";
import type { PresetName } from "./presets";
import type { RuleId } from "./rules";
import { validateSettings, type PolicySettings, type SettingsProblem } from "./settings";

/**
 * The settings page's fields: every setting of PolicySettings, grouped as
 * POLICY.md groups its rules, each with the rule it sets and a one-line
 * explanation. The form's input names are the settings' paths.
 */
export type FieldKind =
  | "whole" // a whole number (days, hours, months, units, percent)
  | "wholeOrNone" // empty: no limit
  | "money" // decimal in the shop currency ("20.00"; "20.00 EUR" names another currency)
  | "moneyOrNone" // empty: none
  | "switch"
  | "choice"
  | "text"
  | "textOrNone" // empty: none
  | "list" // comma-separated
  | "timeZone"
  | "countries"; // ISO codes; with `${path}.worldwide` on: every country

/** The presets' names as the merchant knows the stores (POLICY.md). */
export const PRESET_LABELS: Record<PresetName | "custom", string> = {
  allu: "ALLU",
  alleyAccessory: "Alley Accessory",
  alluressories: "Alluressories",
  custom: "Custom",
};

export interface SettingField {
  path: string;
  rule: RuleId;
  label: string;
  help: string;
  kind: FieldKind;
  choices?: ReadonlyArray<{ value: string; label: string }>;
}

export interface SettingGroup {
  id: string;
  title: string;
  fields: readonly SettingField[];
}

const f = (
  path: string,
  rule: RuleId,
  kind: FieldKind,
  label: string,
  help: string,
  choices?: SettingField["choices"],
): SettingField => ({ path, rule, kind, label, help, ...(choices ? { choices } : {}) });

export const SETTING_GROUPS: readonly SettingGroup[] = [
  {
    id: "store",
    title: "Store: money and time (every rule)",
    fields: [
      f("currency", "SHP-1", "text", "Shop currency", "ISO 4217 code every amount below is in, e.g. USD."),
      f("calendar.timeZone", "TML-1", "timeZone", "Time zone", "Every deadline is computed in this zone."),
      f("calendar.holidays", "TML-1", "choice", "Holidays", "Days that are not business days besides weekends.", [
        { value: "US_FEDERAL", label: "US federal holidays (observed)" },
        { value: "NONE", label: "None" },
      ]),
    ],
  },
  {
    id: "inventory",
    title: "Inventory (INV)",
    fields: [
      f("inventory.maxUnitsPerVariant", "INV-1", "whole", "Units per variant", "Checkout blocks more of one variant."),
      f("inventory.oneOfAKind.scope", "INV-1", "choice", "One-of-a-kind items", "Which products the limit holds for.", [
        { value: "all", label: "Every product" },
        { value: "tagged", label: "Products with a tag" },
      ]),
      f("inventory.oneOfAKind.tag", "INV-1", "textOrNone", "One-of-a-kind tag", "The tag, when only tagged products."),
    ],
  },
  {
    id: "shipping",
    title: "Shipping (SHP)",
    fields: [
      f(
        "shipping.freeShippingThreshold",
        "SHP-1",
        "moneyOrNone",
        "Free shipping at or above",
        "Subtotal after discounts; 0 ships everything free, empty never free.",
      ),
      f(
        "shipping.flatRate",
        "SHP-2",
        "moneyOrNone",
        "Flat rate below it",
        "Audited on the delivery profile; empty: none.",
      ),
      f("shipping.allowedCountries", "SHP-3", "countries", "Ships to", "Checkout refuses other delivery countries."),
      f("shipping.carriers", "SHP-4", "list", "Carriers", "The store picks among these (comma-separated)."),
      f("shipping.signatureRequired", "SHP-4", "switch", "Signature required", "On every domestic package."),
      f("shipping.giftWrap", "SHP-5", "switch", "Gift wrap offered", "Off: checkout says there is none."),
    ],
  },
  {
    id: "timeline",
    title: "Order timeline (TML)",
    fields: [
      f(
        "calendar.cutoff",
        "TML-1",
        "text",
        "Order cut-off",
        'Orders at or after it ("HH:mm") start the next business day.',
      ),
      f("timeline.processingBusinessDays.min", "TML-2", "whole", "Processing from", "Business days to ship, at least."),
      f("timeline.processingBusinessDays.max", "TML-2", "whole", "Processing to", "Late to ship after this many."),
      f(
        "timeline.deliveryBusinessDays.min",
        "TML-3",
        "whole",
        "Delivery from",
        "Business days after shipping, at least.",
      ),
      f("timeline.deliveryBusinessDays.max", "TML-3", "whole", "Delivery to", "Business days after shipping, at most."),
      f("timeline.notReceivedBusinessDays", "TML-4", "whole", "Not received after", "Business days from shipping."),
      f("timeline.carrierClaimBusinessDays", "TML-5", "whole", "Carrier claim within", "Business days from shipping."),
      f("timeline.paymentOnDeliveryDays", "TML-6", "whole", "Payment on delivery within", "Days from shipping."),
      f(
        "timeline.autoCancelUnpaidOnDelivery",
        "TML-6",
        "switch",
        "Cancel unpaid on delivery",
        "Cancel by itself when the payment deadline passes.",
      ),
      f("timeline.receiptDays", "TML-7", "whole", "Receipt available for", "Days after shipping."),
    ],
  },
  {
    id: "cancellation",
    title: "Cancellation (CAN)",
    fields: [f("cancellation.windowHours", "CAN-1", "whole", "Cancellation window", "Hours after the confirmation.")],
  },
  {
    id: "returns",
    title: "Returns (RET)",
    fields: [
      f("returns.enabled", "RET-1", "switch", "Returns accepted", "Off: no return is offered."),
      f("returns.windowDays", "RET-1", "whole", "Return window", "Days from the delivered event."),
      f("returns.accountRequired", "RET-1", "switch", "Account required", "Returns are requested signed in."),
      f("returns.changeOfMind", "RET-1", "switch", "Change of mind", "Off: only wrong, damaged or fake items."),
      f("returns.autoApprove", "RET-1", "switch", "Approve automatically", "Eligible returns need no staff decision."),
      f(
        "returns.declineIneligibleNative",
        "RET-1",
        "switch",
        "Decline native returns that break the rules",
        "Returns made in Shopify outside the app.",
      ),
      f(
        "returns.finalSale.compareAtAbovePrice",
        "RET-2",
        "switch",
        "Sale items are final",
        "Bought below the compare-at price.",
      ),
      f("returns.finalSale.tag", "RET-2", "textOrNone", "Final-sale tag", "Products with it are final; empty: none."),
      f("returns.paymentMethods", "RET-3", "choice", "Returnable payments", "Which payments allow a return.", [
        { value: "card_only", label: "Card only (wallets count as card)" },
        { value: "any", label: "Any payment method" },
      ]),
      f("returns.exchanges", "RET-4", "switch", "Exchanges", "Off: never offered."),
      f("returns.prepaidLabel", "RET-6", "switch", "Prepaid label", "A label is sent with each approved return."),
      f("returns.labelVoidBusinessDays", "RET-6", "whole", "Label voids after", "Business days without a scan."),
      f("returns.labelFee", "RET-7", "money", "Label fee", "Deducted unless the order shipped free."),
      f("returns.feeBasis", "RET-7", "choice", "Free-shipping basis", "What must have shipped free to waive the fee.", [
        { value: "order", label: "The order" },
        { value: "item", label: "The item's own price" },
      ]),
      f("returns.refundShipping", "RET-7", "switch", "Refund shipping", "Off: shipping charges are kept."),
      f("returns.refundBusinessDays.min", "RET-8", "whole", "Refund shows from", "Business days after the refund."),
      f("returns.refundBusinessDays.max", "RET-8", "whole", "Refund shows by", "Business days after the refund."),
      f("returns.wrongItem.reportBusinessDays", "RET-9", "whole", "Wrong item report", "Business days from delivery."),
      f("returns.wrongItem.answerHours", "RET-9", "whole", "Answer a wrong-item report", "Hours to answer."),
      f("returns.inauthenticFullRefund", "RET-11", "switch", "Inauthentic: full refund", "No fees when proven fake."),
      f(
        "returns.packageArrivalDays",
        "RET-12",
        "wholeOrNone",
        "Return must arrive within",
        "Days from delivery; empty: no limit.",
      ),
    ],
  },
  {
    id: "warranty",
    title: "Warranty (WAR)",
    fields: [
      f("warranty.enabled", "WAR-1", "switch", "Warranty offered", "Claims for manufacturing defects."),
      f("warranty.standardMonths", "WAR-1", "whole", "Warranty", "Months from purchase."),
      f("warranty.extendedMonths", "WAR-2", "whole", "Extended warranty", "Months for the tagged pieces."),
      f("warranty.extendedTags", "WAR-2", "list", "Extended for tags", "e.g. 18k-gold, diamond (comma-separated)."),
      f("warranty.finalSaleDiscountPercent", "WAR-3", "whole", "Not covered from", "Percent off and more."),
    ],
  },
];

export const SETTING_FIELDS: readonly SettingField[] = SETTING_GROUPS.flatMap((g) => g.fields);

/** Where a form is read from: FormData fits. */
export interface FormSource {
  get(name: string): unknown;
  getAll(name: string): unknown[];
}

/** What the form shows: text for inputs, on/off for switches, codes for countries. */
export type FieldValue = string | boolean | string[];
export type FormValues = Record<string, FieldValue>;

export const worldwideName = (path: string) => `${path}.worldwide`;

function read(settings: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | null)?.[key], settings);
}

function write(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}

/** Minor units as the decimal a person types: 50000 USD → "500.00". */
export function decimalText(value: Money): string {
  const digits = minorUnitDigits(value.currency);
  const sign = value.amount < 0 ? "-" : "";
  const abs = Math.abs(value.amount);
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10 ** digits;
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(digits, "0")}`;
}

/** The form's values for stored settings. */
export function formValues(settings: PolicySettings, currency = settings.currency): FormValues {
  const values: FormValues = {};
  for (const field of SETTING_FIELDS) {
    const value = read(settings, field.path);
    switch (field.kind) {
      case "money":
      case "moneyOrNone": {
        const money = value as Money | null;
        values[field.path] = money
          ? decimalText(money) + (money.currency === currency ? "" : ` ${money.currency}`)
          : "";
        break;
      }
      case "switch":
        values[field.path] = value === true;
        break;
      case "countries":
        values[field.path] = (value as string[] | null) ?? [];
        values[worldwideName(field.path)] = value === null;
        break;
      case "list":
        values[field.path] = (value as string[]).join(", ");
        break;
      default:
        values[field.path] = value === null || value === undefined ? "" : String(value);
    }
  }
  return values;
}

const text = (value: unknown) => (typeof value === "string" ? value : "");

/** What was typed, as it was typed, to show again beside its problems. */
export function submittedValues(form: FormSource): FormValues {
  const values: FormValues = {};
  for (const field of SETTING_FIELDS) {
    if (field.kind === "switch") values[field.path] = form.get(field.path) === "on";
    else if (field.kind === "countries") {
      values[field.path] = form.getAll(field.path).map(text).filter(Boolean);
      values[worldwideName(field.path)] = form.get(worldwideName(field.path)) === "on";
    } else values[field.path] = text(form.get(field.path));
  }
  return values;
}

const MONEY_TEXT = /^(?:([A-Za-z]{3})\s*)?([-+]?[\d,]*\.?\d*)\s*(?:([A-Za-z]{3}))?$/;

/** "500", "1,250.50", "500.00 EUR" or "EUR 500": amounts are typed in the shop currency unless another is named. */
function parseMoney(raw: string, currency: string): Money | string {
  const match = MONEY_TEXT.exec(raw.trim());
  const amount = match?.[2]?.replace(/,/g, "").replace(/^\+/, "");
  if (!match || !amount || !/\d/.test(amount) || (match[1] && match[3]))
    return `must be an amount such as 20.00 (got "${raw}")`;
  try {
    return parseDecimal(amount, (match[1] ?? match[3] ?? currency).toUpperCase());
  } catch (error) {
    if (error instanceof MoneyError) return `${error.message}`;
    throw error;
  }
}

function parseWhole(raw: string): number | string {
  const trimmed = raw.trim();
  if (!/^[-+]?\d+$/.test(trimmed)) return `must be a whole number (got "${raw}")`;
  return Number(trimmed);
}

const SWITCH_VALUES = new Set(["on", null]);

/**
 * The settings a submitted form describes, with the problems of reading it
 * (text in a number, an amount that is not one). Nothing is defaulted: an
 * empty optional field means "none" as its help says; an empty required one is
 * a problem at its field.
 */
export function settingsFromForm(form: FormSource): { input: Record<string, unknown>; problems: SettingsProblem[] } {
  const input: Record<string, unknown> = {};
  const problems: SettingsProblem[] = [];
  const currency = text(form.get("currency")).trim().toUpperCase();
  for (const field of SETTING_FIELDS) {
    const raw = text(form.get(field.path));
    const empty = raw.trim() === "";
    const problem = (message: string) => problems.push({ path: field.path, message });
    switch (field.kind) {
      case "whole":
      case "wholeOrNone": {
        if (empty) {
          if (field.kind === "wholeOrNone") write(input, field.path, null);
          else problem("is required");
          break;
        }
        const value = parseWhole(raw);
        if (typeof value === "string") problem(value);
        else write(input, field.path, value);
        break;
      }
      case "money":
      case "moneyOrNone": {
        if (empty) {
          if (field.kind === "moneyOrNone") write(input, field.path, null);
          else problem("is required (0 for none)");
          break;
        }
        const value = parseMoney(raw, currency);
        if (typeof value === "string") problem(value);
        else write(input, field.path, value);
        break;
      }
      case "switch": {
        const value = form.get(field.path);
        if (!SWITCH_VALUES.has(value as string | null)) problem(`must be on or off (got "${String(value)}")`);
        else write(input, field.path, value === "on");
        break;
      }
      case "countries": {
        const worldwide = form.get(worldwideName(field.path)) === "on";
        const codes = form.getAll(field.path).map((c) => text(c).trim().toUpperCase());
        write(input, field.path, worldwide ? null : codes.filter(Boolean));
        break;
      }
      case "list":
        write(
          input,
          field.path,
          raw
            .split(",")
            .map((item) => item.trim())
            .filter(Boolean),
        );
        break;
      case "textOrNone":
        if (field.path === "inventory.oneOfAKind.tag") {
          if (text(form.get("inventory.oneOfAKind.scope")) === "tagged") write(input, field.path, raw.trim());
        } else write(input, field.path, empty ? null : raw.trim());
        break;
      case "text":
        write(input, field.path, field.path === "currency" ? currency : raw.trim());
        break;
      default:
        write(input, field.path, raw.trim());
    }
  }
  return { input, problems };
}

/** The field a problem belongs to (the longest field path it starts with), or "(settings)". */
export function fieldOfProblem(path: string): string {
  let best = "(settings)";
  for (const field of SETTING_FIELDS) {
    const matches = path === field.path || path.startsWith(`${field.path}.`);
    if (matches && field.path.length > best.length) best = field.path;
  }
  // A min-above-max problem is reported at min, which is a field of its own.
  return best;
}

/**
 * Everything wrong with a submitted form, each problem at its field: first
 * what could not be read, then what validateSettings refuses in the rest (a
 * field with a reading problem is not reported twice).
 */
export function checkSettingsForm(
  form: FormSource,
): { ok: true; settings: PolicySettings } | { ok: false; problems: SettingsProblem[] } {
  const { input, problems } = settingsFromForm(form);
  const validated = validateSettings(input);
  if (validated.ok && problems.length === 0) return validated;
  const unreadable = problems.map((p) => p.path);
  // A field that could not be read is missing from the input: its own (or its section's) absence is no news.
  const known = (path: string) =>
    unreadable.some((field) => field === fieldOfProblem(path) || field.startsWith(`${path}.`));
  const refused = validated.ok ? [] : validated.problems.filter((p) => !known(p.path));
  return { ok: false, problems: [...problems, ...refused] };
}

/** Problems keyed by field, for the page: each field shows its own. */
export function problemsByField(problems: readonly SettingsProblem[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of problems) (out[fieldOfProblem(p.path)] ??= []).push(p.message);
  return out;
}

/** Form values as a browser posts them: switches only when on, one entry per selected country. */
export function toFormData(values: FormValues): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(values)) {
    if (value === true) form.append(name, "on");
    else if (Array.isArray(value)) for (const item of value) form.append(name, item);
    else if (typeof value === "string") form.append(name, value);
  }
  return form;
}
