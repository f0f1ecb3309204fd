/**
 * The emulated admin's side of App Bridge (see app-bridge.js): it frames the
 * app, answers session-token requests, shows the app's navigation menu and
 * title in the admin's own chrome, and keeps the admin URL on the app's page
 * so a reload opens the same page with a fresh token.
 */
(function () {
  const frame = document.getElementById("app-frame");
  const appOrigin = new URL(frame.src).origin;
  const base = document.body.dataset.appBase;
  const menu = document.getElementById("app-menu");
  const home = document.getElementById("app-home");
  const title = document.getElementById("app-title");
  const toast = document.getElementById("toast");
  const appName = document.body.dataset.appTitle;
  let current = document.body.dataset.appPath;
  let homePath = "/app";

  const send = (message) => frame.contentWindow.postMessage(message, appOrigin);

  function highlight() {
    for (const link of document.querySelectorAll("[data-app-path]"))
      link.setAttribute("aria-current", link.dataset.appPath === current ? "page" : "false");
  }

  function renderMenu(items) {
    menu.replaceChildren(
      ...items
        .filter((item) => !item.home)
        .map((item) => {
          const link = document.createElement("a");
          link.className = "nav-item nav-sub";
          link.href = base + item.path;
          link.dataset.appPath = item.path;
          link.textContent = item.label;
          return link;
        }),
    );
    const homeItem = items.find((item) => item.home);
    if (homeItem) {
      homePath = homeItem.path;
      home.dataset.appPath = homePath;
      home.href = base + homePath;
    }
    highlight();
  }

  async function sessionToken() {
    const response = await fetch("/admin/app-bridge/session-token", { method: "POST" });
    if (!response.ok) throw new Error(`session token: HTTP ${response.status}`);
    return (await response.json()).token;
  }

  window.addEventListener("message", async (event) => {
    if (event.origin !== appOrigin || event.source !== frame.contentWindow) return;
    const { appBridge: type, id, payload } = event.data ?? {};
    if (type === "idToken") {
      try {
        send({ admin: "reply", id, payload: await sessionToken() });
      } catch (error) {
        send({ admin: "reply", id, error: String(error) });
      }
    } else if (type === "state") {
      current = payload.path;
      history.replaceState(null, "", base + payload.path);
      title.textContent = payload.title || appName;
      document.title = `${payload.title || appName} · ${appName} · Shopify`;
      renderMenu(payload.menu);
    } else if (type === "adminNavigate" && /^\/admin(\/|$)/.test(payload.path)) {
      location.assign(payload.path);
    } else if (type === "unrouted") {
      location.assign(base + payload.path);
    } else if (type === "toast") {
      toast.textContent = payload.message;
      toast.hidden = false;
      setTimeout(() => (toast.hidden = true), 5_000);
    }
  });

  document.querySelector("nav").addEventListener("click", (event) => {
    const link = event.target.closest("a[data-app-path]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    send({ admin: "navigate", payload: { path: link.dataset.appPath } });
  });
  highlight();
})();
