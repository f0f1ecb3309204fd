import { decimal } from "../money";
import type { EmulatedStore, Node } from "../store";

export interface VariantSpec {
  title?: string;
  sku?: string;
  priceCents: number;
  compareAtPriceCents?: number | null;
  tracked?: boolean;
  inventoryPolicy?: "DENY" | "CONTINUE";
  available?: number;
}

export interface ProductSpec {
  title: string;
  handle?: string;
  productType?: string;
  vendor?: string;
  tags?: string[];
  status?: "ACTIVE" | "DRAFT" | "ARCHIVED";
  variants?: VariantSpec[];
  /** namespace.key → value (single_line_text_field). */
  metafields?: Record<string, string>;
  /** Product images in order; the first is the featured one. */
  images?: ImageSpec[];
}

export interface ImageSpec {
  url: string;
  alt?: string;
  width?: number;
  height?: number;
}

export function metafieldNode(
  store: EmulatedStore,
  owner: Node,
  namespace: string,
  key: string,
  value: string,
  type = "single_line_text_field",
): Node {
  const now = store.now().toISOString();
  return store.register({
    __typename: "Metafield",
    id: store.gid("Metafield"),
    namespace,
    key,
    value,
    type,
    jsonValue: type === "json" ? JSON.parse(value) : value,
    ownerType:
      owner.__typename === "Shop" ? "SHOP" : owner.__typename.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase(),
    owner,
    createdAt: now,
    updatedAt: now,
  });
}

/** Set (create or replace) a metafield on any owner that keeps a `metafields` list. */
export function setMetafield(
  store: EmulatedStore,
  owner: Node,
  namespace: string,
  key: string,
  value: string,
  type?: string,
): Node {
  const list = owner.metafields as Node[];
  const existing = list.find((m) => m.namespace === namespace && m.key === key);
  if (existing) {
    existing.value = value;
    existing.type = type ?? existing.type;
    existing.jsonValue = existing.type === "json" ? JSON.parse(value) : value;
    existing.updatedAt = store.now().toISOString();
    return existing;
  }
  const created = metafieldNode(store, owner, namespace, key, value, type);
  list.push(created);
  return created;
}

function inventoryLevel(store: EmulatedStore, item: Node, available: number): Node {
  const now = store.now().toISOString();
  return store.register({
    __typename: "InventoryLevel",
    id: `${store.gid("InventoryLevel")}?inventory_item_id=${item.id.split("/").pop()}`,
    location: store.primaryLocation,
    item,
    isActive: true,
    createdAt: now,
    updatedAt: now,
    _quantities: {
      available,
      on_hand: available,
      committed: 0,
      incoming: 0,
      reserved: 0,
      damaged: 0,
      safety_stock: 0,
      quality_control: 0,
    },
  });
}

export function addProduct(store: EmulatedStore, spec: ProductSpec): Node {
  const now = store.now().toISOString();
  const product = store.register({
    __typename: "Product",
    id: store.gid("Product"),
    title: spec.title,
    handle:
      spec.handle ??
      spec.title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, ""),
    productType: spec.productType ?? "",
    vendor: spec.vendor ?? store.shop.name,
    tags: spec.tags ?? [],
    status: spec.status ?? "ACTIVE",
    createdAt: now,
    updatedAt: now,
    publishedAt: now,
    metafields: [] as Node[],
    variants: [] as Node[],
    media: [] as Node[],
  });
  for (const image of spec.images ?? []) product.media.push(mediaImage(store, image));
  for (const [path, value] of Object.entries(spec.metafields ?? {})) {
    const [namespace, key] = path.split(".") as [string, string];
    setMetafield(store, product, namespace, key, value);
  }
  for (const [index, variantSpec] of (spec.variants ?? [{ priceCents: 0 }]).entries()) {
    addVariant(store, product, variantSpec, index + 1);
  }
  store.products.push(product);
  store.emitTopic("products/create", product);
  return product;
}

/** A MediaImage as Shopify keeps it: processed (READY), with its preview image. */
function mediaImage(store: EmulatedStore, spec: ImageSpec): Node {
  const image = {
    url: spec.url,
    altText: spec.alt ?? null,
    width: spec.width ?? 1024,
    height: spec.height ?? 1024,
  };
  return store.register({
    __typename: "MediaImage",
    id: store.gid("MediaImage"),
    alt: spec.alt ?? null,
    mediaContentType: "IMAGE",
    status: "READY",
    mediaErrors: [],
    mediaWarnings: [],
    image,
    preview: { image, status: "READY" },
    createdAt: store.now().toISOString(),
  });
}

function addVariant(store: EmulatedStore, product: Node, spec: VariantSpec, position: number): Node {
  const now = store.now().toISOString();
  const variant = store.register({
    __typename: "ProductVariant",
    id: store.gid("ProductVariant"),
    title: spec.title ?? "Default Title",
    displayName: `${product.title} - ${spec.title ?? "Default Title"}`,
    sku: spec.sku ?? null,
    price: decimal(spec.priceCents),
    compareAtPrice: spec.compareAtPriceCents == null ? null : decimal(spec.compareAtPriceCents),
    inventoryPolicy: spec.inventoryPolicy ?? "DENY",
    position,
    taxable: true,
    product,
    createdAt: now,
    updatedAt: now,
    metafields: [] as Node[],
  });
  const item = store.register({
    __typename: "InventoryItem",
    id: store.gid("InventoryItem"),
    sku: spec.sku ?? null,
    tracked: spec.tracked ?? true,
    requiresShipping: true,
    createdAt: now,
    updatedAt: now,
    variant,
    inventoryLevels: [] as Node[],
  });
  item.inventoryLevels.push(inventoryLevel(store, item, spec.available ?? 1));
  variant.inventoryItem = item;
  product.variants.push(variant);
  return variant;
}

export function availableOf(variant: Node): number {
  return (variant.inventoryItem.inventoryLevels as Node[]).reduce((sum, level) => sum + level._quantities.available, 0);
}

/** Change a variant's available count at the primary location (sale, restock, correction). */
export function adjustAvailable(store: EmulatedStore, variant: Node, delta: number): void {
  const level = (variant.inventoryItem.inventoryLevels as Node[])[0]!;
  setAvailable(store, level, level._quantities.available + delta);
}

export function setAvailable(store: EmulatedStore, level: Node, available: number): void {
  const q = level._quantities;
  q.on_hand += available - q.available;
  q.available = available;
  store.touch(level);
  store.emitTopic("inventory_levels/update", level);
}

export function productUpdated(store: EmulatedStore, product: Node): void {
  store.touch(product);
  store.emitTopic("products/update", product);
}
