/**
 * The store emulator's App Bridge: what an embedded app gets from Shopify's
 * app-bridge.js, spoken over postMessage to the emulated admin page that frames
 * the app (admin-frame.js). The app loads it instead of Shopify's CDN script
 * only when APP_BRIDGE_URL says so (the demo).
 *
 * - `shopify.idToken()` gets a fresh session token from the admin;
 * - same-origin `fetch` carries it as `Authorization: Bearer …` (how Remix
 *   client navigations and form posts authenticate), retried once when the app
 *   answers 401 with X-Shopify-Retry-Invalid-Session-Request;
 * - `<ui-nav-menu>` and `<ui-title-bar>` are shown by the admin, not the app;
 * - the bounce page (`?shopify-reload=…`) reloads with a fresh token;
 * - `shopify://admin/…` links and `open("shopify://admin/…")` open that admin page;
 * - opened outside the admin, the app is sent back into it.
 */
(function () {
  const script = document.currentScript;
  const adminOrigin = new URL(script.src).origin;
  const apiKey = script.getAttribute("data-api-key");
  const query = new URLSearchParams(location.search);
  const LAUNCH_PARAMS = ["embedded", "shop", "host", "id_token", "locale", "session", "hmac", "timestamp"];

  /** The app's own query string, without what the admin adds at launch. */
  function appSearch(params) {
    const own = new URLSearchParams(params);
    for (const name of [...LAUNCH_PARAMS, "shopify-reload"]) own.delete(name);
    const text = own.toString();
    return text ? `?${text}` : "";
  }

  if (window.top === window) {
    const target = query.has("shopify-reload") ? new URL(query.get("shopify-reload")) : new URL(location.href);
    location.replace(`${adminOrigin}/admin/apps/${apiKey}${target.pathname}${appSearch(target.searchParams)}`);
    return;
  }

  let lastId = 0;
  const pending = new Map();
  const post = (message) => window.parent.postMessage(message, adminOrigin);
  function ask(type, payload) {
    const id = ++lastId;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      post({ appBridge: type, id, payload });
      setTimeout(() => pending.delete(id) && reject(new Error(`The admin did not answer ${type}`)), 10_000);
    });
  }

  addEventListener("message", (event) => {
    if (event.origin !== adminOrigin || event.source !== window.parent) return;
    const { admin, id, payload, error } = event.data ?? {};
    if (admin === "reply" && pending.has(id)) {
      const { resolve, reject } = pending.get(id);
      pending.delete(id);
      if (error) reject(new Error(error));
      else resolve(payload);
    }
    if (admin === "navigate") navigate(payload.path);
  });

  const shopify = {
    config: { apiKey, shop: query.get("shop"), host: query.get("host"), locale: query.get("locale") ?? "en" },
    environment: { embedded: true, mobile: false, pos: false },
    idToken: () => ask("idToken"),
    toast: { show: (message) => post({ appBridge: "toast", payload: { message: String(message) } }) },
    loading: (on) => post({ appBridge: "loading", payload: { on: on !== false } }),
  };
  window.shopify = shopify;

  const nativeFetch = window.fetch.bind(window);
  const withToken = (request, token) => {
    const headers = new Headers(request.headers);
    headers.set("Authorization", `Bearer ${token}`);
    return new Request(request, { headers });
  };
  window.fetch = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).origin !== location.origin) return nativeFetch(request);
    const again = request.clone();
    const response = await nativeFetch(withToken(request, await shopify.idToken()));
    if (response.status === 401 && response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1")
      return nativeFetch(withToken(again, await shopify.idToken()));
    return response;
  };

  if (query.has("shopify-reload")) {
    // The bounce page: the app asked for a session token in the URL.
    const target = new URL(query.get("shopify-reload"));
    if (target.origin === location.origin)
      void shopify.idToken().then((token) => {
        target.searchParams.set("id_token", token);
        location.replace(target.toString());
      });
    return;
  }

  // Admin pages the app links to, as App Bridge resolves shopify://admin/… URLs.
  const adminPath = (href) => {
    const match = /^shopify:\/?\/?admin(\/[^?#]*)?/.exec(String(href));
    return match ? `/admin${match[1] ?? ""}` : null;
  };
  const nativeOpen = window.open.bind(window);
  window.open = (url, ...rest) => {
    const path = adminPath(url);
    if (!path) return nativeOpen(url, ...rest);
    post({ appBridge: "adminNavigate", payload: { path } });
    return null;
  };
  document.addEventListener(
    "click",
    (event) => {
      const link = event.target.closest?.("a[href^='shopify:']");
      const path = link && adminPath(link.getAttribute("href"));
      if (!path) return;
      event.preventDefault();
      event.stopPropagation();
      post({ appBridge: "adminNavigate", payload: { path } });
    },
    true,
  );

  const style = document.createElement("style");
  style.textContent = "ui-nav-menu, ui-title-bar { display: none !important; }";
  document.head.append(style);

  const navAnchors = () => [...document.querySelectorAll("ui-nav-menu a[href]")];
  const pathOf = (href) => {
    const url = new URL(href, location.href);
    return url.pathname + appSearch(url.searchParams);
  };
  let reported = "";
  function report() {
    const state = {
      path: location.pathname + appSearch(location.search),
      title: document.querySelector("ui-title-bar")?.getAttribute("title") ?? "",
      menu: navAnchors().map((a) => ({
        label: a.textContent.trim(),
        path: pathOf(a.getAttribute("href")),
        home: a.getAttribute("rel") === "home",
      })),
    };
    const text = JSON.stringify(state);
    if (text === reported) return;
    reported = text;
    post({ appBridge: "state", payload: state });
  }
  for (const method of ["pushState", "replaceState"]) {
    const original = history[method].bind(history);
    history[method] = (...args) => {
      original(...args);
      report();
    };
  }
  addEventListener("popstate", report);
  new MutationObserver(report).observe(document, { subtree: true, childList: true, attributes: true });

  function navigate(path) {
    // As Shopify's App Bridge does: the admin's menu click becomes the app router's navigation.
    const anchor = navAnchors().find((a) => pathOf(a.getAttribute("href")) === path);
    if (anchor) anchor.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
    else post({ appBridge: "unrouted", payload: { path } });
  }
  if (document.readyState === "loading") addEventListener("DOMContentLoaded", report);
  else report();
})();
