import { DEV_SESSION_TOKEN_PATH } from "./paths";

// A few dozen lines of what App Bridge does for an embedded app, enough to use the admin locally: it hands out
// session tokens, attaches them to the app's own fetches (as App Bridge does), shows toasts, renders the
// <ui-nav-menu> links as a plain navigation bar and a <ui-save-bar> as a bar holding its own buttons.
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
    if (url.origin !== location.origin || url.pathname === ${JSON.stringify(
      DEV_SESSION_TOKEN_PATH,
    )}) return originalFetch(input, init);
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
  const saveBars = (id) => [...document.querySelectorAll("ui-save-bar")].filter((bar) => !id || bar.id === id);
  const saveBar = {
    show: async (id) => saveBars(id).forEach((bar) => bar.show()),
    hide: async (id) => saveBars(id).forEach((bar) => bar.hide()),
    toggle: async (id) => saveBars(id).forEach((bar) => (bar.showing ? bar.hide() : bar.show())),
    leaveConfirmation: async () => undefined,
  };
  window.shopify = { config: { shop, apiKey: "dev-shell" }, idToken, toast: { show: toast }, saveBar, environment: { embedded: false, mobile: false } };
  // Shopify's admin draws the save bar over its own top bar with the element's buttons; here the buttons are
  // slotted into a fixed bar, so their React click handlers run as they would in the admin.
  class SaveBar extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({ mode: "open" });
      root.innerHTML = '<style>:host{display:none}:host([data-showing]){display:block}div{position:fixed;top:0;left:0;right:0;z-index:900;' +
        'display:flex;gap:8px;justify-content:flex-end;align-items:center;padding:8px 20px;background:#1a1a1a;color:#fff;font:14px system-ui}' +
        'span{margin-right:auto}</style><div role="region" aria-label="Unsaved changes"><span>Unsaved changes</span><slot></slot></div>';
    }
    get showing() { return this.hasAttribute("data-showing"); }
    show() { if (!this.showing) { this.setAttribute("data-showing", ""); this.dispatchEvent(new Event("show")); } }
    hide() { if (this.showing) { this.removeAttribute("data-showing"); this.dispatchEvent(new Event("hide")); } }
  }
  if (!customElements.get("ui-save-bar")) customElements.define("ui-save-bar", SaveBar);
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
