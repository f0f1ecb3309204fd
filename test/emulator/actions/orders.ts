import { cents, decimal } from "../money";
import type { EmulatedStore, Node, PaymentKind } from "../store";
import { adjustAvailable } from "./catalog";

export interface OrderLineSpec {
  variant: Node;
  quantity?: number;
  /** Discount on the line, in cents for the whole line. */
  discountCents?: number;
  /** Line attributes from checkout (e.g. a watch's "Wrist size"). */
  attributes?: Array<{ key: string; value: string }>;
}

export interface PaymentSpec {
  kind: PaymentKind;
  /** Defaults to what is left to pay. */
  amountCents?: number;
  status?: "SUCCESS" | "PENDING" | "FAILURE";
}

export interface OrderSpec {
  customer?: Node | null;
  lines: OrderLineSpec[];
  /** Order discount codes, a fixed amount each, which Shopify spreads over the lines by their price. */
  discountCodes?: Array<{ code: string; amountCents: number }>;
  placedAt?: Date;
  /** The shipping rate's price, before shipping discounts. */
  shippingCents?: number;
  /** Taken off the shipping by an automatic shipping discount (free shipping: all of it). */
  shippingDiscountCents?: number;
  taxCents?: number;
  shippingAddress?: { countryCode: string; provinceCode?: string; city?: string; zip?: string; address1?: string };
  payments?: PaymentSpec[];
  tags?: string[];
  note?: string | null;
  /** The shipping rate's name as checkout showed it (e.g. "UPS Ground, signature required"). */
  shippingTitle?: string;
}

const GATEWAYS: Record<
  PaymentKind,
  { gateway: string; formatted: string; manual: boolean; details: Record<string, unknown> | null }
> = {
  card: { gateway: "shopify_payments", formatted: "Shopify Payments", manual: false, details: card(null) },
  shop_pay: { gateway: "shopify_payments", formatted: "Shopify Payments", manual: false, details: card("SHOPIFY_PAY") },
  apple_pay: { gateway: "shopify_payments", formatted: "Shopify Payments", manual: false, details: card("APPLE_PAY") },
  paypal: {
    gateway: "paypal",
    formatted: "PayPal Express Checkout",
    manual: false,
    details: { __typename: "PaypalWalletPaymentDetails", paymentMethodName: "paypal" },
  },
  installments: {
    gateway: "shopify_installments",
    formatted: "Shop Pay Installments",
    manual: false,
    details: { __typename: "ShopPayInstallmentsPaymentDetails", paymentMethodName: "shop_pay_installments" },
  },
  gift_card: { gateway: "gift_card", formatted: "Gift card", manual: false, details: null },
  store_credit: { gateway: "shopify_store_credit", formatted: "Store credit", manual: false, details: null },
  manual: { gateway: "manual", formatted: "Manual", manual: true, details: null },
  cash_on_delivery: {
    gateway: "Cash on Delivery (COD)",
    formatted: "Cash on Delivery (COD)",
    manual: true,
    details: null,
  },
};

function card(wallet: string | null) {
  return {
    __typename: "CardPaymentDetails",
    company: "Visa",
    name: "Card Holder",
    number: "•••• •••• •••• 4242",
    bin: "424242",
    expirationMonth: 12,
    expirationYear: 2030,
    avsResultCode: "Y",
    cvvResultCode: "M",
    paymentMethodName: "visa",
    wallet,
  };
}

function mailingAddress(spec: NonNullable<OrderSpec["shippingAddress"]>, customer: Node | null | undefined) {
  return {
    __typename: "MailingAddress",
    id: `gid://shopify/MailingAddress/${Math.floor(Math.random() * 1e9)}`,
    name: customer ? customer.displayName : "Guest",
    firstName: customer?.firstName ?? null,
    lastName: customer?.lastName ?? null,
    address1: spec.address1 ?? "1 Main Street",
    address2: null,
    city: spec.city ?? "New York",
    provinceCode: spec.provinceCode ?? (spec.countryCode === "US" ? "NY" : null),
    province: null,
    zip: spec.zip ?? "10001",
    countryCodeV2: spec.countryCode,
    country: spec.countryCode,
    phone: null,
    company: null,
  };
}

export function transaction(
  store: EmulatedStore,
  order: Node,
  kind: string,
  payment: { kind: PaymentKind; status: string },
  amountCents: number,
  at: Date,
  parent?: Node,
): Node {
  const gateway = GATEWAYS[payment.kind];
  const tx = store.register({
    __typename: "OrderTransaction",
    id: store.gid("OrderTransaction"),
    kind,
    status: payment.status,
    gateway: gateway.gateway,
    formattedGateway: gateway.formatted,
    manualPaymentGateway: gateway.manual,
    paymentDetails: gateway.details,
    amountSet: store.money(amountCents),
    processedAt: at.toISOString(),
    createdAt: at.toISOString(),
    test: true,
    errorCode: payment.status === "FAILURE" ? "CARD_DECLINED" : null,
    parentTransaction: parent ?? null,
    order,
    _paymentKind: payment.kind,
  });
  order.transactions.push(tx);
  return tx;
}

/** Shopify's display statuses, derived from the order's transactions, fulfillments and refunds. */
export function refreshOrderStatus(order: Node): void {
  const txs = order.transactions as Node[];
  const succeeded = (kinds: string[]) =>
    txs
      .filter((t) => t.status === "SUCCESS" && kinds.includes(t.kind))
      .reduce((sum, t) => sum + cents(t.amountSet.shopMoney.amount), 0);
  const paid = succeeded(["SALE", "CAPTURE"]);
  const authorized = succeeded(["AUTHORIZATION"]);
  const refunded = succeeded(["REFUND"]);
  const total = cents(order.totalPriceSet.shopMoney.amount);
  order.displayFinancialStatus =
    refunded > 0 && refunded >= paid
      ? "REFUNDED"
      : refunded > 0
        ? "PARTIALLY_REFUNDED"
        : paid >= total
          ? "PAID"
          : paid > 0
            ? "PARTIALLY_PAID"
            : authorized > 0
              ? "AUTHORIZED"
              : "PENDING";
  order.fullyPaid = paid >= total;
  order.totalOutstandingSet = {
    ...order.totalPriceSet,
    shopMoney: { ...order.totalPriceSet.shopMoney, amount: decimal(Math.max(0, total - paid)) },
  };
  const lines = order.lineItems as Node[];
  const unfulfilled = lines.reduce((sum, l) => sum + l.unfulfilledQuantity, 0);
  const quantity = lines.reduce((sum, l) => sum + l.quantity, 0);
  order.displayFulfillmentStatus =
    unfulfilled === 0 ? "FULFILLED" : unfulfilled < quantity ? "PARTIALLY_FULFILLED" : "UNFULFILLED";
}

/** A discount on an order, in the order Shopify lists them (`discount_application_index`). */
export interface DiscountApplication {
  type: "discount_code" | "automatic";
  code?: string;
  title: string;
  targetType: "line_item" | "shipping_line";
  amountCents: number;
}

/** What one discount application took off a line or a shipping line. */
export interface DiscountAllocation {
  cents: number;
  applicationIndex: number;
}

/** An amount spread over totals in proportion, the rounding remainder on the last one. */
function allocate(amountCents: number, totals: readonly number[]): number[] {
  const whole = totals.reduce((sum, t) => sum + t, 0);
  if (!whole) return totals.map(() => 0);
  const shares = totals.map((t) => Math.floor((amountCents * t) / whole));
  shares[shares.length - 1]! += amountCents - shares.reduce((sum, s) => sum + s, 0);
  return shares;
}

export function placeOrder(store: EmulatedStore, spec: OrderSpec): Node {
  const at = spec.placedAt ?? store.now();
  const iso = at.toISOString();
  const number = 1000 + store.orders.length + 1;
  const order = store.register({
    __typename: "Order",
    id: store.gid("Order"),
    name: `#${number}`,
    number,
    confirmationNumber: `PG${number}X`,
    email: spec.customer?.email ?? null,
    customer: spec.customer ?? null,
    createdAt: iso,
    processedAt: iso,
    updatedAt: iso,
    cancelledAt: null,
    cancelReason: null,
    closed: false,
    closedAt: null,
    confirmed: true,
    test: true,
    currencyCode: store.currency,
    presentmentCurrencyCode: store.currency,
    tags: spec.tags ?? [],
    note: spec.note ?? null,
    shippingAddress:
      spec.shippingAddress === undefined
        ? mailingAddress({ countryCode: "US" }, spec.customer)
        : mailingAddress(spec.shippingAddress, spec.customer),
    lineItems: [] as Node[],
    transactions: [] as Node[],
    fulfillments: [] as Node[],
    refunds: [] as Node[],
    returns: [] as Node[],
    metafields: [] as Node[],
  });
  // Discount applications as Shopify numbers them: the codes, each line discount, then shipping.
  const codes = spec.discountCodes ?? [];
  const applications: DiscountApplication[] = codes.map((c) => ({
    type: "discount_code",
    code: c.code,
    title: c.code,
    targetType: "line_item",
    amountCents: c.amountCents,
  }));
  const lineTotals = spec.lines.map(
    (line) => cents(line.variant.price) * (line.quantity ?? 1) - (line.discountCents ?? 0),
  );
  const codeShares = codes.map((c) => allocate(c.amountCents, lineTotals));
  // The order's tax, charged on the lines in proportion to their price (Shopify's taxLines per line).
  const taxShares = allocate(spec.taxCents ?? 0, lineTotals);
  let subtotal = 0;
  for (const [index, line] of spec.lines.entries()) {
    const quantity = line.quantity ?? 1;
    const unit = cents(line.variant.price);
    const discount = line.discountCents ?? 0;
    const allocations: DiscountAllocation[] = codeShares
      .map((shares, applicationIndex) => ({ cents: shares[index]!, applicationIndex }))
      .filter((a) => a.cents > 0);
    if (discount) {
      allocations.push({ cents: discount, applicationIndex: applications.length });
      applications.push({ type: "automatic", title: "Line discount", targetType: "line_item", amountCents: discount });
    }
    const afterAll = unit * quantity - allocations.reduce((sum, a) => sum + a.cents, 0);
    subtotal += afterAll;
    const discountedUnit = Math.round((unit * quantity - discount) / quantity);
    order.lineItems.push(
      store.register({
        __typename: "LineItem",
        id: store.gid("LineItem"),
        title: line.variant.product.title,
        name: line.variant.product.title,
        variantTitle: line.variant.title === "Default Title" ? null : line.variant.title,
        sku: line.variant.sku,
        quantity,
        currentQuantity: quantity,
        unfulfilledQuantity: quantity,
        refundableQuantity: quantity,
        requiresShipping: true,
        taxable: true,
        isGiftCard: false,
        variant: line.variant,
        product: line.variant.product,
        vendor: line.variant.product.vendor,
        originalUnitPriceSet: store.money(unit),
        discountedUnitPriceSet: store.money(discountedUnit),
        discountedUnitPriceAfterAllDiscountsSet: store.money(Math.round(afterAll / quantity)),
        originalTotalSet: store.money(unit * quantity),
        totalDiscountSet: store.money(discount),
        customAttributes: line.attributes ?? [],
        taxLines: taxShares[index]
          ? [
              {
                __typename: "TaxLine",
                title: "Sales tax",
                priceSet: store.money(taxShares[index]!),
                price: decimal(taxShares[index]!),
                rate: null,
                ratePercentage: null,
                source: "Shopify",
                channelLiable: false,
              },
            ]
          : [],
        _discountedTotalCents: unit * quantity - discount,
        _discountAllocations: allocations,
      }),
    );
    adjustAvailable(store, line.variant, -quantity);
  }
  const shipping = spec.shippingCents ?? 0;
  const shippingDiscount = Math.min(spec.shippingDiscountCents ?? 0, shipping);
  const shippingCharged = shipping - shippingDiscount;
  const shippingLines: Node[] = [];
  if (shipping || order.shippingAddress) {
    const shippingAllocations: DiscountAllocation[] = [];
    if (shippingDiscount) {
      shippingAllocations.push({ cents: shippingDiscount, applicationIndex: applications.length });
      applications.push({
        type: "automatic",
        title: "Free shipping",
        targetType: "shipping_line",
        amountCents: shippingDiscount,
      });
    }
    shippingLines.push(
      store.register({
        __typename: "ShippingLine",
        id: store.gid("ShippingLine"),
        // The store's rates say what SHP-4 needs (FedEx, signature required); a test names another to see it flagged.
        title: spec.shippingTitle ?? `${shipping ? "Standard" : "Free shipping"} (FedEx, signature required)`,
        code: "Standard",
        source: "shopify",
        carrierIdentifier: null,
        custom: false,
        isRemoved: false,
        originalPriceSet: store.money(shipping),
        discountedPriceSet: store.money(shippingCharged),
        currentDiscountedPriceSet: store.money(shippingCharged),
        _discountAllocations: shippingAllocations,
      }),
    );
  }
  const tax = spec.taxCents ?? 0;
  const total = subtotal + shippingCharged + tax;
  const discounts = applications.reduce((sum, a) => sum + a.amountCents, 0);
  Object.assign(order, {
    subtotalPriceSet: store.money(subtotal),
    currentSubtotalPriceSet: store.money(subtotal),
    // Shopify's totalShippingPriceSet is before shipping discounts; currentShippingPriceSet after them.
    totalShippingPriceSet: store.money(shipping),
    currentShippingPriceSet: store.money(shippingCharged),
    shippingLines,
    discountCodes: codes.map((c) => c.code),
    discountCode: codes[0]?.code ?? null,
    _discountApplications: applications,
    totalTaxSet: store.money(tax),
    currentTotalTaxSet: store.money(tax),
    totalDiscountsSet: store.money(discounts),
    totalPriceSet: store.money(total),
    currentTotalPriceSet: store.money(total),
  });
  let left = total;
  for (const payment of spec.payments ?? [{ kind: "card" as const }]) {
    const amount = payment.amountCents ?? left;
    left -= amount;
    transaction(
      store,
      order,
      "SALE",
      { kind: payment.kind, status: payment.status ?? (payment.kind === "cash_on_delivery" ? "PENDING" : "SUCCESS") },
      amount,
      at,
    );
  }
  refreshOrderStatus(order);
  store.orders.push(order);
  spec.customer?.orders.push(order);
  store.emitTopic("orders/create", order, at);
  if (order.displayFinancialStatus === "PAID") store.emitTopic("orders/paid", order, at);
  return order;
}

/** Collect a pending payment (payment on delivery, manual). */
export function markPaid(store: EmulatedStore, order: Node, at = store.now()): void {
  for (const pending of (order.transactions as Node[]).filter((t) => t.status === "PENDING")) {
    transaction(
      store,
      order,
      "SALE",
      { kind: pending._paymentKind, status: "SUCCESS" },
      cents(pending.amountSet.shopMoney.amount),
      at,
      pending,
    );
    pending.status = "SUCCESS";
  }
  refreshOrderStatus(order);
  store.touch(order, at);
  store.emitTopic("orders/paid", order, at);
  store.emitTopic("orders/updated", order, at);
}

export interface FulfillSpec {
  at?: Date;
  company?: string;
  trackingNumber?: string;
  /** A tracking URL the merchant entered (Shopify builds one for the carriers it knows otherwise). */
  trackingUrl?: string;
  lines?: Array<{ lineItem: Node; quantity?: number }>;
}

export function fulfill(store: EmulatedStore, order: Node, spec: FulfillSpec = {}): Node {
  const at = spec.at ?? store.now();
  const iso = at.toISOString();
  const lines: Array<{ lineItem: Node; quantity?: number }> =
    spec.lines ??
    (order.lineItems as Node[]).filter((l) => l.unfulfilledQuantity > 0).map((lineItem) => ({ lineItem }));
  const company = spec.company ?? "FedEx";
  const number = spec.trackingNumber ?? `7${String(Date.now()).slice(-11)}`;
  const fulfillment = store.register({
    __typename: "Fulfillment",
    id: store.gid("Fulfillment"),
    name: `${order.name}-F${order.fulfillments.length + 1}`,
    status: "SUCCESS",
    displayStatus: "FULFILLED",
    createdAt: iso,
    updatedAt: iso,
    inTransitAt: null,
    deliveredAt: null,
    estimatedDeliveryAt: null,
    requiresShipping: true,
    location: store.primaryLocation,
    order,
    trackingInfo: [{ company, number, url: spec.trackingUrl ?? `https://tracking.example/${number}` }],
    events: [] as Node[],
    fulfillmentLineItems: [] as Node[],
    totalQuantity: 0,
  });
  for (const { lineItem, quantity = lineItem.unfulfilledQuantity } of lines) {
    lineItem.unfulfilledQuantity -= quantity;
    fulfillment.totalQuantity += quantity;
    fulfillment.fulfillmentLineItems.push(
      store.register({
        __typename: "FulfillmentLineItem",
        id: store.gid("FulfillmentLineItem"),
        lineItem,
        quantity,
        originalTotalSet: store.money(cents(lineItem.originalUnitPriceSet.shopMoney.amount) * quantity),
        discountedTotalSet: store.money(cents(lineItem.discountedUnitPriceSet.shopMoney.amount) * quantity),
        _fulfillment: fulfillment,
      }),
    );
  }
  order.fulfillments.push(fulfillment);
  refreshOrderStatus(order);
  store.touch(order, at);
  store.emitTopic("fulfillments/create", fulfillment, at);
  store.emitTopic("orders/updated", order, at);
  return fulfillment;
}

/**
 * A fulfillment cancelled (the parcel came back, TML-6): its units are unfulfilled again, so the
 * order can be cancelled and restocked; Shopify sends fulfillments/update with status cancelled.
 */
export function cancelFulfillment(store: EmulatedStore, fulfillment: Node, at = store.now()): void {
  fulfillment.status = "CANCELLED";
  fulfillment.displayStatus = "CANCELED";
  for (const fli of fulfillment.fulfillmentLineItems as Node[]) fli.lineItem.unfulfilledQuantity += fli.quantity;
  refreshOrderStatus(fulfillment.order);
  store.touch(fulfillment, at);
  store.touch(fulfillment.order, at);
  store.emitTopic("fulfillments/update", fulfillment, at);
  store.emitTopic("orders/updated", fulfillment.order, at);
}

export type TrackingStatus =
  | "LABEL_PRINTED"
  | "CONFIRMED"
  | "IN_TRANSIT"
  | "OUT_FOR_DELIVERY"
  | "ATTEMPTED_DELIVERY"
  | "DELAYED"
  | "DELIVERED"
  | "FAILURE";

/** A carrier tracking event: `happenedAt` is the carrier's time, not when Shopify learns of it. */
export function trackingEvent(
  store: EmulatedStore,
  fulfillment: Node,
  status: TrackingStatus,
  happenedAt: Date,
  message?: string,
): Node {
  const iso = happenedAt.toISOString();
  const event = store.register({
    __typename: "FulfillmentEvent",
    id: store.gid("FulfillmentEvent"),
    status,
    happenedAt: iso,
    createdAt: store.now().toISOString(),
    message: message ?? status.toLowerCase().replace(/_/g, " "),
    city: null,
    province: null,
    country: "US",
    zip: null,
    address1: null,
    latitude: null,
    longitude: null,
    estimatedDeliveryAt: null,
    _fulfillment: fulfillment,
  });
  fulfillment.events.push(event);
  fulfillment.displayStatus = status;
  if (status === "IN_TRANSIT" && !fulfillment.inTransitAt) fulfillment.inTransitAt = iso;
  if (status === "DELIVERED") fulfillment.deliveredAt = iso;
  store.touch(fulfillment);
  store.touch(fulfillment.order);
  store.emitTopic("fulfillment_events/create", event);
  store.emitTopic("fulfillments/update", fulfillment);
  store.emitTopic("orders/updated", fulfillment.order);
  return event;
}

export interface CancelOptions {
  /** Put unfulfilled units back in stock (default true). */
  restock?: boolean;
  /** Refund what was paid to the original payment methods (orderCancel's refundMethod.originalPaymentMethodsRefund). */
  refund?: boolean;
  notifyCustomer?: boolean;
  staffNote?: string | null;
}

/**
 * Shopify cancels: authorizations are voided whatever `refund` says; with `refund`, each
 * successful sale or capture is refunded to the method that paid it, in one Refund.
 */
export function cancelOrder(
  store: EmulatedStore,
  order: Node,
  at = store.now(),
  reason = "CUSTOMER",
  options: CancelOptions = {},
): void {
  order.cancelledAt = at.toISOString();
  order.cancelReason = reason;
  order.closed = true;
  order.closedAt = order.cancelledAt;
  order._cancellation = { notifyCustomer: options.notifyCustomer ?? false, staffNote: options.staffNote ?? null };
  if (options.restock ?? true)
    for (const line of order.lineItems as Node[]) adjustAvailable(store, line.variant, line.unfulfilledQuantity);
  const txs = [...(order.transactions as Node[])];
  for (const auth of txs.filter((t) => t.kind === "AUTHORIZATION" && t.status === "SUCCESS")) {
    const captured = txs.some((t) => t.kind === "CAPTURE" && t.parentTransaction === auth);
    if (!captured)
      transaction(
        store,
        order,
        "VOID",
        { kind: auth._paymentKind, status: "SUCCESS" },
        cents(auth.amountSet.shopMoney.amount),
        at,
        auth,
      );
  }
  if (options.refund) {
    const paid = txs.filter((t) => t.status === "SUCCESS" && ["SALE", "CAPTURE"].includes(t.kind));
    const refundedOf = (parent: Node) =>
      txs
        .filter((t) => t.kind === "REFUND" && t.status === "SUCCESS" && t.parentTransaction === parent)
        .reduce((sum, t) => sum + cents(t.amountSet.shopMoney.amount), 0);
    const refund = store.register({
      __typename: "Refund",
      id: store.gid("Refund"),
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
      processedAt: at.toISOString(),
      note: "Order canceled",
      order,
      return: null,
      refundLineItems: [] as Node[],
      transactions: [] as Node[],
    });
    let total = 0;
    for (const parent of paid) {
      const left = cents(parent.amountSet.shopMoney.amount) - refundedOf(parent);
      if (left <= 0) continue;
      total += left;
      refund.transactions.push(
        transaction(store, order, "REFUND", { kind: parent._paymentKind, status: "SUCCESS" }, left, at, parent),
      );
    }
    refund.totalRefundedSet = store.money(total);
    if (total > 0) {
      order.refunds.push(refund);
      store.emitTopic("refunds/create", refund, at);
    }
  }
  refreshOrderStatus(order);
  store.touch(order, at);
  store.emitTopic("orders/cancelled", order, at);
  store.emitTopic("orders/updated", order, at);
}

export interface RefundSpec {
  at?: Date;
  lines?: Array<{ lineItem: Node; quantity?: number }>;
  /** Defaults to the lines' discounted total. */
  amountCents?: number;
  note?: string | null;
  returnNode?: Node | null;
}

export function refundOrder(store: EmulatedStore, order: Node, spec: RefundSpec = {}): Node {
  const at = spec.at ?? store.now();
  const lines = spec.lines ?? [];
  const lineTotal = lines.reduce(
    (s, { lineItem, quantity = lineItem.refundableQuantity }) =>
      s + cents(lineItem.discountedUnitPriceSet.shopMoney.amount) * quantity,
    0,
  );
  const amount = spec.amountCents ?? lineTotal;
  const refund = store.register({
    __typename: "Refund",
    id: store.gid("Refund"),
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    processedAt: at.toISOString(),
    note: spec.note ?? null,
    order,
    return: spec.returnNode ?? null,
    totalRefundedSet: store.money(amount),
    refundLineItems: [] as Node[],
    transactions: [] as Node[],
  });
  for (const { lineItem, quantity = lineItem.refundableQuantity } of lines) {
    lineItem.refundableQuantity -= quantity;
    lineItem.currentQuantity -= quantity;
    refund.refundLineItems.push({
      __typename: "RefundLineItem",
      id: store.gid("RefundLineItem"),
      lineItem,
      quantity,
      restockType: "NO_RESTOCK",
      subtotalSet: store.money(cents(lineItem.discountedUnitPriceSet.shopMoney.amount) * quantity),
      totalTaxSet: store.money(0),
      priceSet: lineItem.discountedUnitPriceSet,
    });
  }
  const original = (order.transactions as Node[]).find(
    (t) => t.status === "SUCCESS" && ["SALE", "CAPTURE"].includes(t.kind),
  );
  if (amount > 0 && original) {
    refund.transactions.push(
      transaction(store, order, "REFUND", { kind: original._paymentKind, status: "SUCCESS" }, amount, at, original),
    );
  }
  order.refunds.push(refund);
  refreshOrderStatus(order);
  store.touch(order, at);
  store.emitTopic("refunds/create", refund, at);
  store.emitTopic("orders/updated", order, at);
  return refund;
}
