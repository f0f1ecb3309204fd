import type { Prisma } from "@prisma/client";
import type { Tx } from "./webhook-inbox.server";

// Shopify JSON payloads: each field is checked where it is read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Payload = Record<string, any>;

const REDACTED_BODY = JSON.stringify({ redacted: true });

function customerWhere(shop: string, payload: Payload): Prisma.OrderWhereInput {
  const id = payload.customer?.id != null ? `gid://shopify/Customer/${payload.customer.id}` : null;
  const email = payload.customer?.email ?? null;
  const or: Prisma.OrderWhereInput[] = [];
  if (id) or.push({ customerId: id });
  if (email) or.push({ email });
  return { shop, OR: or.length ? or : [{ id: "" }] };
}

/** customers/data_request: everything the app holds on the customer, for the merchant to hand over. */
export async function exportCustomerData(tx: Tx, shop: string, payload: Payload): Promise<void> {
  const orders = await tx.order.findMany({
    where: customerWhere(shop, payload),
    include: { lines: true, events: { orderBy: { occurredAt: "asc" } }, deadlines: true, alerts: true },
  });
  await tx.dataExport.create({
    data: {
      shop,
      customerId: payload.customer?.id != null ? `gid://shopify/Customer/${payload.customer.id}` : null,
      email: payload.customer?.email ?? null,
      data: JSON.parse(
        JSON.stringify({ requestedAt: new Date().toISOString(), customer: payload.customer ?? null, orders }),
      ) as Prisma.InputJsonValue,
    },
  });
}

/**
 * customers/redact: delete the customer's orders (with their lines, timeline,
 * deadlines and alerts), exports about them, and every stored webhook body that
 * names them — the redact request itself included, once applied.
 */
export async function redactCustomer(tx: Tx, shop: string, payload: Payload, requestEventId: string): Promise<void> {
  const orders = await tx.order.findMany({ where: customerWhere(shop, payload), select: { id: true } });
  const orderIds = [
    ...orders.map((o) => o.id),
    ...((payload.orders_to_redact ?? []) as number[]).map((id) => `gid://shopify/Order/${id}`),
  ];
  await tx.order.deleteMany({ where: { shop, id: { in: orderIds } } });
  const email = payload.customer?.email as string | undefined;
  const customerId = payload.customer?.id != null ? String(payload.customer.id) : null;
  await tx.dataExport.deleteMany({
    where: {
      shop,
      OR: [
        ...(email ? [{ email }] : []),
        ...(customerId ? [{ customerId: `gid://shopify/Customer/${customerId}` }] : []),
      ],
    },
  });
  const mentions: Prisma.WebhookEventWhereInput[] = [
    ...(email ? [{ body: { contains: email } }] : []),
    ...orderIds.map((id) => ({ body: { contains: id } })),
    ...orderIds.map((id) => ({ body: { contains: `"order_id":${id.split("/").pop()}` } })),
  ];
  if (mentions.length) await tx.webhookEvent.deleteMany({ where: { shop, id: { not: requestEventId }, OR: mentions } });
  await tx.webhookEvent.update({ where: { id: requestEventId }, data: { body: REDACTED_BODY } });
}

/** shop/redact (48 hours after uninstall): nothing of the shop remains. */
export async function redactShop(tx: Tx, shop: string, requestEventId: string): Promise<void> {
  await tx.order.deleteMany({ where: { shop } });
  await tx.variantInventory.deleteMany({ where: { shop } });
  await tx.inventoryAudit.deleteMany({ where: { shop } });
  await tx.dataExport.deleteMany({ where: { shop } });
  await tx.syncState.deleteMany({ where: { shop } });
  await tx.session.deleteMany({ where: { shop } });
  await tx.shop.deleteMany({ where: { domain: shop } });
  await tx.webhookEvent.deleteMany({ where: { shop, id: { not: requestEventId } } });
  await tx.webhookEvent.update({ where: { id: requestEventId }, data: { body: REDACTED_BODY } });
}
