import { DEV_SESSION_TOKEN_PATH } from "./paths";

// A few dozen lines of what App Bridge does for an embedded app, enough to use the admin locally: it hands out
// session tokens, attaches them to the app's own fetches (as App Bridge does), shows toasts, and renders the
// <ui-nav-menu> links as a plain navigation bar.
export function appBridgeStandInScript(shop: string): string {
  return `(() => {
  const shop = ${JSON.stringify(shop)};
  const tokenUrl = ${JSON.stringify(DEV_SESSION_TOKEN_PATH)} + "?shop=" + encodeURIComponent(shop);
  async function idToken() {
    const response = await originalFetch(tokenUrl, { credentials: "same-origin" });
    if (!response.ok) throw new Error("dev shell: no session token (" + response.status + ")");
    return (await response.json()).token;
  }
  const originalFetch = window.fetch.bind(window);
  window.fetch = async (input, init = {}) => {
    const url = new URL(typeof input === "string" ? input : input.url, location.href);
    if (url.origin !== location.origin || url.pathname === ${JSON.stringify(DEV_SESSION_TOKEN_PATH)}) return originalFetch(input, init);
    const headers = new Headers(init.headers || (typeof input === "string" ? undefined : input.headers));
    if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + (await idToken()));
    return originalFetch(input, { ...init, headers });
  };
  function toast(message, options = {}) {
    const node = document.createElement("div");
    node.setAttribute("role", "status");
    node.textContent = message;
    node.style.cssText = "position:fixed;bottom:24px;left:50%;transform:translateX(-50%);padding:10px 16px;border-radius:8px;color:#fff;z-index:1000;background:" + (options.isError ? "#8e1f0b" : "#303030");
    document.body.appendChild(node);
    setTimeout(() => node.remove(), options.duration || 4000);
  }
  window.shopify = { config: { shop, apiKey: "dev-shell" }, idToken, toast: { show: toast }, environment: { embedded: false, mobile: false } };
  // Drawn in a shadow root: changing the element's own attributes before React hydrates it would be a mismatch.
  class NavMenu extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({ mode: "open" });
      root.innerHTML = '<style>:host{display:block}nav{display:flex;gap:16px;padding:12px 20px;background:#1a1a1a;font:14px system-ui}' +
        '::slotted(a){color:#fff;text-decoration:none}::slotted(a[rel="home"]){font-weight:600}::slotted(a:focus-visible){outline:2px solid #fff;outline-offset:2px}</style>' +
        '<nav aria-label="Cadence"><slot></slot></nav>';
    }
  }
  if (!customElements.get("ui-nav-menu")) customElements.define("ui-nav-menu", NavMenu);
})();`;
}
