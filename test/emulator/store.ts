import { EventEmitter } from "node:events";
import { moneyBag } from "./money";

/** Payment methods a shopper can use, as Shopify records them on transactions. */
export type PaymentKind =
  | "card"
  | "shop_pay"
  | "apple_pay"
  | "paypal"
  | "installments"
  | "gift_card"
  | "store_credit"
  | "manual"
  | "cash_on_delivery";

export type Node = Record<string, any> & { __typename: string; id: string };

export interface StoreEvent {
  topic: string;
  /** The resource the webhook is about, rendered to Shopify's REST shape at delivery. */
  resource: Node | Record<string, unknown>;
  occurredAt: Date;
}

export interface ShopOptions {
  domain: string;
  name: string;
  email?: string;
  ianaTimezone?: string;
  currencyCode?: string;
}

let sequence = 1000;

/**
 * One emulated Shopify store: GraphQL-shaped nodes (field names as in the Admin
 * API) so the default resolver can read them, plus the actions that change
 * them and announce webhook topics.
 */
export class EmulatedStore extends EventEmitter {
  readonly shop: Node;
  readonly nodes = new Map<string, Node>();
  readonly products: Node[] = [];
  readonly customers: Node[] = [];
  readonly orders: Node[] = [];
  readonly locations: Node[] = [];
  /** Shopify's Return nodes (shapes in actions/returns.ts), also in each order's `returns`. */
  readonly returns: Node[] = [];
  /** MediaImage / GenericFile nodes made by fileCreate. */
  readonly files: Node[] = [];
  /** Staged uploads by path ("/uploads/…"): what the app PUT to a stagedUploadsCreate target. */
  readonly uploads = new Map<string, { type: string; body: Buffer }>();
  readonly validations: Node[] = [];
  readonly discounts: Node[] = [];
  readonly deliveryProfiles: Node[] = [];
  readonly appInstallation: Node;
  private clockOverride: Date | null = null;

  constructor(options: ShopOptions) {
    super();
    const now = new Date().toISOString();
    this.shop = this.register({
      __typename: "Shop",
      id: this.gid("Shop"),
      name: options.name,
      email: options.email ?? `owner@${options.domain}`,
      contactEmail: options.email ?? `owner@${options.domain}`,
      myshopifyDomain: options.domain,
      url: `https://${options.domain}`,
      ianaTimezone: options.ianaTimezone ?? "America/New_York",
      currencyCode: options.currencyCode ?? "USD",
      shipsToCountries: ["US"],
      createdAt: now,
      updatedAt: now,
      metafields: [] as Node[],
    });
    this.appInstallation = this.register({
      __typename: "AppInstallation",
      id: this.gid("AppInstallation"),
      metafields: [] as Node[],
    });
    this.addLocation("Warehouse");
  }

  get domain(): string {
    return this.shop.myshopifyDomain;
  }

  get currency(): string {
    return this.shop.currencyCode;
  }

  /** The store's clock: real time unless a test sets it. */
  now(): Date {
    return this.clockOverride ? new Date(this.clockOverride) : new Date();
  }

  setClock(at: Date | null): void {
    this.clockOverride = at;
  }

  /** Ids are unique across every store of the process, as Shopify's are across shops. */
  gid(type: string): string {
    return `gid://shopify/${type}/${++sequence + 5_000_000_000_000}`;
  }

  register(node: Node): Node {
    this.nodes.set(node.id, node);
    return node;
  }

  node(id: string): Node | undefined {
    return this.nodes.get(id);
  }

  emitTopic(topic: string, resource: StoreEvent["resource"], occurredAt = this.now()): void {
    this.emit("event", { topic, resource, occurredAt } satisfies StoreEvent);
  }

  money(cents: number) {
    return moneyBag(cents, this.currency);
  }

  addLocation(name: string): Node {
    const location = this.register({
      __typename: "Location",
      id: this.gid("Location"),
      name,
      isActive: true,
      fulfillsOnlineOrders: true,
    });
    this.locations.push(location);
    return location;
  }

  get primaryLocation(): Node {
    return this.locations[0]!;
  }

  touch(node: Node, at = this.now()): void {
    node.updatedAt = at.toISOString();
  }
}

export function legacyId(gid: string): number {
  return Number(gid.split("/").pop());
}
