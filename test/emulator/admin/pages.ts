import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableOf } from "../actions/catalog";
import type { EmulatedStore, Node } from "../store";

/** The emulated admin's scripts, served as Shopify serves App Bridge and its admin. */
export const ADMIN_SCRIPTS = {
  appBridge: readFileSync(new URL("./app-bridge.js", import.meta.url), "utf8"),
  adminFrame: readFileSync(new URL("./admin-frame.js", import.meta.url), "utf8"),
};

interface AppListing {
  title: string;
  handle: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Shopify admin's chrome: dark top bar, grey sidebar with the store's sections and the pinned app.
const STYLE = `*{box-sizing:border-box}body{margin:0;font:13px/1.4 Inter,-apple-system,"Segoe UI",system-ui,sans-serif;background:#f1f1f1;color:#303030}
header{height:56px;background:#1a1a1a;color:#e3e3e3;display:flex;align-items:center;gap:16px;padding:0 16px}
header b{color:#fff;font-size:15px}header .store{margin-left:auto;background:#303030;border-radius:8px;padding:6px 10px}
.shell{display:flex;height:calc(100vh - 56px)}nav{width:240px;flex:none;background:#ebebeb;padding:12px 8px;overflow:auto}
.nav-item{display:block;padding:6px 8px;margin:1px 0;border-radius:8px;color:#303030;text-decoration:none;font-weight:550}
.nav-item.inert{color:#8a8a8a;font-weight:450;cursor:default}.nav-sub{padding-left:28px;font-weight:450}
a.nav-item:hover{background:#e3e3e3}a.nav-item[aria-current=page]{background:#fafafa;font-weight:650}
.section{margin:16px 8px 4px;color:#616161;font-size:12px;font-weight:550}
main{flex:1;display:flex;flex-direction:column;min-width:0}.titlebar{height:48px;display:flex;align-items:center;padding:0 20px;font-size:16px;font-weight:650}
iframe{flex:1;border:0;width:100%;background:#f1f1f1}.apps{max-width:720px;margin:32px auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 1px 2px #0002}
table{border-collapse:collapse;width:100%;margin-top:12px}th,td{text-align:left;padding:8px;border-top:1px solid #e3e3e3}
.product{display:flex;gap:20px;align-items:flex-start}.product img{width:120px;height:120px;border-radius:8px;object-fit:cover}
a.open{display:inline-block;margin-top:12px;padding:8px 14px;background:#303030;color:#fff;border-radius:8px;text-decoration:none}
#toast{position:fixed;bottom:24px;left:50%;transform:translateX(-50%);background:#1a1a1a;color:#fff;padding:10px 16px;border-radius:8px}`;

const STORE_SECTIONS = ["Home", "Orders", "Products", "Customers", "Content", "Analytics", "Marketing", "Discounts"];

function chrome(store: EmulatedStore, app: AppListing, body: { nav: string; main: string; data?: string }): string {
  const sections = STORE_SECTIONS.map(
    (name) => `<span class="nav-item inert" title="Not part of the store emulator">${name}</span>`,
  ).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(app.title)} · ${escape(store.shop.name)} · Shopify</title>
<style>${STYLE}</style></head><body${body.data ?? ""}>
<header><b>shopify</b><span>local admin (store emulator)</span><span class="store">${escape(store.shop.name)}</span></header>
<div class="shell"><nav aria-label="Admin">${sections}<div class="section">Apps</div>${body.nav}</nav><main>${body.main}</main></div>
<div id="toast" role="status" hidden></div></body></html>`;
}

/** The admin's home: the store and its installed app. */
export function adminHomePage(store: EmulatedStore, app: AppListing): string {
  const appPath = `/admin/apps/${escape(app.handle)}`;
  return chrome(store, app, {
    nav: `<a class="nav-item" href="${appPath}">${escape(app.title)}</a>`,
    main: `<div class="apps"><h1>Apps</h1><p>${escape(store.domain)} · ${escape(store.shop.ianaTimezone)} · ${escape(store.currency)}</p>
<p><a class="open" href="${appPath}">Open ${escape(app.title)}</a></p></div>`,
  });
}

/**
 * An app page in the admin: the app framed at `appPath` (launched with
 * `frameSrc`), its menu in the sidebar. The frame's name is new on every load
 * so going back never restores the frame's last in-app URL, which has no session token.
 */
export function appFramePage(store: EmulatedStore, app: AppListing, appPath: string, frameSrc: string): string {
  const base = `/admin/apps/${escape(app.handle)}`;
  return chrome(store, app, {
    data: ` data-app-base="${base}" data-app-path="${escape(appPath)}" data-app-title="${escape(app.title)}"`,
    nav: `<a id="app-home" class="nav-item" href="${base}/app" data-app-path="/app">${escape(app.title)}</a><div id="app-menu"></div>`,
    main: `<div class="titlebar" id="app-title">${escape(app.title)}</div>
<iframe id="app-frame" name="app-iframe-${randomUUID()}" title="${escape(app.title)}" src="${escape(frameSrc)}"></iframe>
<script src="/admin/admin-frame.js"></script>`,
  });
}

/** A product as the admin's product page shows it: what the inventory guard's findings link to (shopify://admin/products/…). */
export function productPage(store: EmulatedStore, app: AppListing, product: Node): string {
  const image = (product.media as Node[])[0]?.preview?.image?.url as string | undefined;
  const rows = (product.variants as Node[])
    .map(
      (v) => `<tr><td>${escape(v.title)}</td><td>${escape(v.price)} ${escape(store.currency)}</td>
<td>${v.inventoryItem.tracked ? "Tracked" : "Not tracked"}</td>
<td>${v.inventoryPolicy === "CONTINUE" ? "Continue selling when out of stock" : "Stop selling when out of stock"}</td>
<td>${availableOf(v)} available</td></tr>`,
    )
    .join("");
  return chrome(store, app, {
    nav: `<a class="nav-item" href="/admin/apps/${escape(app.handle)}">${escape(app.title)}</a>`,
    main: `<div class="apps"><div class="product">${image ? `<img src="${escape(image)}" alt="">` : ""}
<div><h1>${escape(product.title)}</h1><p>${escape(product.productType ?? "")} · ${escape(product.status ?? "")}</p></div></div>
<table><thead><tr><th>Variant</th><th>Price</th><th>Inventory</th><th>When out of stock</th><th>Available</th></tr></thead>
<tbody>${rows}</tbody></table></div>`,
  });
}
