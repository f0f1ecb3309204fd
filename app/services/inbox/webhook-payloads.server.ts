import { z } from "zod";
import { parseDecimal } from "../../policy";
import { RefusedEvent } from "./webhook-errors.server";

/**
 * The payload of each topic the worker applies, as Shopify sends it (REST shape,
 * API 2026-10). Only the fields a handler reads are checked, with Shopify's types;
 * every other field is kept as it came. A payload that does not fit is refused with
 * the field named, before anything is written.
 */

/**
 * JSON.parse, except that integers a JavaScript number cannot hold exactly (beyond
 * 2^53) are kept as their digits, in strings: Shopify's REST ids are 64-bit.
 */
export function parseJsonExact(text: string): unknown {
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  let out = "";
  let copied = 0;
  const digitAt = (i: number) => i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      // Skip the string, escapes included.
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      continue;
    }
    if (c !== "-" && !digitAt(i)) continue;
    const start = i;
    let end = c === "-" ? i + 1 : i;
    while (digitAt(end)) end++;
    let integer = true;
    if (text[end] === ".") for (integer = false, end++; digitAt(end);) end++;
    if (text[end] === "e" || text[end] === "E") {
      integer = false;
      end++;
      if (text[end] === "+" || text[end] === "-") end++;
      while (digitAt(end)) end++;
    }
    const token = text.slice(start, end);
    if (integer && !Number.isSafeInteger(Number(token))) {
      out += `${text.slice(copied, start)}"${token}"`;
      copied = end;
    }
    i = end - 1;
  }
  return JSON.parse(out + text.slice(copied));
}

/** The Int columns (PostgreSQL integer): counts and amounts in minor units. */
const INT_MAX = 2_147_483_647;

/** An issue's message: "missing" when the field is absent, else what it should have been. */
const expected =
  (what: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? "missing" : `expected ${what}`;

/** A Shopify REST id, as its digits (exact at any size). */
const id = z
  .union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d+$/)], {
    error: expected("a Shopify id (a positive integer)"),
  })
  .transform(String);
const gid = (type: string) => {
  const error = expected(`${/^[AEIOU]/.test(type) ? "an" : "a"} ${type} id (gid://shopify/${type}/…)`);
  return z.string({ error }).regex(new RegExp(`^gid://shopify/${type}/\\d+$`), { error });
};
/** Shopify's timestamps: ISO 8601 with an offset or Z. */
const timestamp = z.iso.datetime({ offset: true, error: expected("an ISO 8601 timestamp") });
const intRange = expected(`an integer from ${-INT_MAX - 1} to ${INT_MAX}`);
const count = z
  .number({ error: intRange })
  .int({ error: intRange })
  .min(-INT_MAX - 1, { error: intRange })
  .max(INT_MAX, { error: intRange });
const amount = expected("a decimal amount");
const decimal = z.string({ error: amount }).regex(/^-?\d+(\.\d+)?$/, { error: amount });
const currencyCode = z.string({ error: expected("a currency code") }).regex(/^[A-Z]{3}$/, {
  error: expected("a currency code"),
});
const moneySet = z.looseObject({ presentment_money: z.looseObject({ amount: decimal, currency_code: currencyCode }) });
const text = z.string();

const orderPayload = z
  .looseObject({
    admin_graphql_api_id: gid("Order"),
    name: text,
    email: text.nullish(),
    customer: z.looseObject({ id: id.optional(), admin_graphql_api_id: gid("Customer").optional() }).nullish(),
    processed_at: timestamp.nullish(),
    created_at: timestamp,
    cancelled_at: timestamp.nullish(),
    updated_at: timestamp,
    financial_status: text.nullish(),
    fulfillment_status: text.nullish(),
    currency: currencyCode,
    presentment_currency: currencyCode.optional(),
    current_subtotal_price: decimal.optional(),
    subtotal_price: decimal,
    subtotal_price_set: moneySet.optional(),
    total_price: decimal,
    shipping_address: z.looseObject({ country_code: text.nullish() }).nullish(),
    shipping_lines: z
      .array(
        z.looseObject({
          price: decimal,
          discounted_price: decimal.optional(),
          is_removed: z.boolean().optional(),
          price_set: moneySet.optional(),
          discounted_price_set: moneySet.optional(),
        }),
      )
      .optional(),
    line_items: z.array(
      z.looseObject({
        id,
        admin_graphql_api_id: gid("LineItem").optional(),
        variant_id: id.nullish(),
        product_id: id.nullish(),
        title: text.nullish(),
        name: text.nullish(),
        quantity: count.min(0, { error: "expected a quantity (0 or more)" }),
        price: decimal,
        properties: z.array(z.looseObject({ name: text, value: z.unknown() })).nullish(),
      }),
    ),
    fulfillments: z
      .array(
        z.looseObject({
          id,
          admin_graphql_api_id: gid("Fulfillment").optional(),
          created_at: timestamp,
          updated_at: timestamp.nullish(),
          shipment_status: text.nullish(),
        }),
      )
      .optional(),
    refunds: z
      .array(z.looseObject({ id, admin_graphql_api_id: gid("Refund").optional(), created_at: timestamp }))
      .optional(),
  })
  .superRefine((order, ctx) => {
    // Amounts the app stores in Int columns, in the currency's minor units.
    const stored: Array<[PropertyKey[], string | undefined]> = [
      [["current_subtotal_price"], order.current_subtotal_price],
      [["subtotal_price"], order.subtotal_price],
      [["total_price"], order.total_price],
      ...order.line_items.map((line, i): [PropertyKey[], string] => [["line_items", i, "price"], line.price]),
      ...(order.shipping_lines ?? []).map((line, i): [PropertyKey[], string] => [
        ["shipping_lines", i, "price"],
        line.discounted_price ?? line.price,
      ]),
    ];
    for (const [path, value] of stored) {
      if (value === undefined) continue;
      let minor: number;
      try {
        minor = parseDecimal(value, order.currency).amount;
      } catch (error) {
        ctx.addIssue({ code: "custom", path, message: (error as Error).message });
        continue;
      }
      if (Math.abs(minor) > INT_MAX)
        ctx.addIssue({ code: "custom", path, message: `${value} ${order.currency} is beyond the amounts stored` });
    }
  });

const fulfillmentPayload = z.looseObject({
  admin_graphql_api_id: gid("Fulfillment"),
  order_id: id,
  created_at: timestamp,
  updated_at: timestamp,
  shipment_status: text.nullish(),
  // SHP-4: what the fulfillment fulfillmentAudit reads.
  status: text.nullish(),
  tracking_company: text.nullish(),
  tracking_url: text.nullish(),
  tracking_urls: z.array(text).nullish(),
  destination: z.looseObject({ country_code: text.nullish() }).nullish(),
});

/** Only the carrier's delivered event is applied: the others are read no further than their status. */
const fulfillmentEventStatus = z.looseObject({ status: text });
const deliveredEventPayload = z.looseObject({ order_id: id, fulfillment_id: id, happened_at: timestamp });

const refundPayload = z.looseObject({ admin_graphql_api_id: gid("Refund"), order_id: id, created_at: timestamp });

/**
 * A return names its order as `order` (requested, approved, declined) or `order_id` (closed, processed);
 * a declined one carries Shopify's reason and the note the shopper sees.
 */
const returnPayload = z
  .looseObject({
    admin_graphql_api_id: gid("Return"),
    status: text.nullish(),
    order: z.looseObject({ admin_graphql_api_id: gid("Order") }).optional(),
    order_id: id.optional(),
    decline: z.looseObject({ reason: text.nullish(), note: text.nullish() }).nullish(),
  })
  .transform((ret, ctx) => {
    const orderId = ret.order?.admin_graphql_api_id ?? (ret.order_id && `gid://shopify/Order/${ret.order_id}`);
    if (orderId) return { ...ret, orderId };
    ctx.addIssue({ code: "custom", path: ["order"], message: "missing (neither order nor order_id)" });
    return z.NEVER;
  });

const reverseDeliveryPayload = z.looseObject({
  admin_graphql_api_id: gid("ReverseDelivery"),
  return: z.looseObject({ admin_graphql_api_id: gid("Return") }),
  shipping_deliverable: z
    .looseObject({ label: z.looseObject({ created_at: timestamp.nullish() }).nullish() })
    .nullish(),
});

const productPayload = z.looseObject({
  admin_graphql_api_id: gid("Product"),
  title: text.nullish(),
  tags: text.nullish(),
  updated_at: timestamp,
  image: z.looseObject({ src: text }).nullish(),
  media: z.array(z.looseObject({ preview_image: z.looseObject({ src: text }).nullish() })).nullish(),
  variants: z.array(
    z.looseObject({
      admin_graphql_api_id: gid("ProductVariant"),
      title: text.nullish(),
      inventory_item_id: id.nullish(),
      inventory_management: text.nullish(),
      inventory_policy: z.enum(["deny", "continue"]).nullish(),
      inventory_quantity: count.nullish(),
    }),
  ),
});

const inventoryLevelPayload = z.looseObject({
  inventory_item_id: id,
  available: count.nullish(),
  updated_at: timestamp,
});

const scopesPayload = z.looseObject({ current: z.array(text).nullish() });

const shopDomain = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, { error: "expected a myshopify.com domain" });
const compliance = { shop_id: id, shop_domain: shopDomain };
const complianceCustomer = z.looseObject({ id, email: text.nullish() });

const dataRequestPayload = z.looseObject({ ...compliance, customer: complianceCustomer });
const customerRedactPayload = z.looseObject({
  ...compliance,
  customer: complianceCustomer,
  orders_to_redact: z.array(id).nullish(),
});
const shopRedactPayload = z.looseObject(compliance);

export type DataRequestPayload = z.infer<typeof dataRequestPayload>;
export type CustomerRedactPayload = z.infer<typeof customerRedactPayload>;

export const PAYLOADS = {
  orders: orderPayload,
  fulfillment: fulfillmentPayload,
  fulfillmentEventStatus,
  deliveredEvent: deliveredEventPayload,
  refund: refundPayload,
  return: returnPayload,
  reverseDelivery: reverseDeliveryPayload,
  product: productPayload,
  inventoryLevel: inventoryLevelPayload,
  scopes: scopesPayload,
  dataRequest: dataRequestPayload,
  customerRedact: customerRedactPayload,
  shopRedact: shopRedactPayload,
  anything: z.unknown(),
} as const;

const where = (path: readonly PropertyKey[]) =>
  path.reduce<string>(
    (at, key) => (typeof key === "number" ? `${at}[${key}]` : at ? `${at}.${String(key)}` : String(key)),
    "",
  ) || "the payload";

/** The issues as one line naming each field: "line_items[0].quantity: expected an integer …; updated_at: missing". */
export function describeIssues(error: z.ZodError, most = 3): string {
  const named = error.issues.slice(0, most).map((issue) => `${where(issue.path)}: ${issue.message}`);
  const more = error.issues.length - named.length;
  return (named.join("; ") || "does not fit its topic") + (more > 0 ? ` (and ${more} more)` : "");
}

/** The body parsed (ids exact) and checked against the topic's schema; refused, naming the field, if it does not fit. */
export function parsePayload<Schema extends z.ZodType>(topic: string, body: string, schema: Schema): z.output<Schema> {
  let json: unknown;
  try {
    json = parseJsonExact(body);
  } catch {
    throw new RefusedEvent(`${topic} refused: the body is not JSON`);
  }
  const result = schema.safeParse(json, {
    error: (issue) => (issue.input === undefined && issue.code === "invalid_type" ? "missing" : undefined),
  });
  if (!result.success) throw new RefusedEvent(`${topic} payload refused: ${describeIssues(result.error)}`);
  return result.data;
}
