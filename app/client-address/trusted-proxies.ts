import proxyaddr from "proxy-addr";

// Who sent a request, for keying rate limits: the address of the TCP peer, unless the operator says which proxies in
// front of the app may be believed about the address before them (CADENCE_TRUSTED_PROXIES). X-Forwarded-For is
// written by whoever sends the request, so by default it is ignored; each trusted proxy appends the address it saw,
// and the client is the first address, from the right, that no trusted proxy vouches for. proxy-addr (express's own
// "trust proxy" logic) does the walking.

export type TrustedProxies =
  | { kind: "none" }
  /** This many proxies stand in front of the app (1: Shopify's app proxy reaching the app directly). */
  | { kind: "hops"; hops: number }
  /** Proxies at these addresses or CIDR ranges. */
  | { kind: "addresses"; ranges: string[] };

export const MAX_PROXY_HOPS = 10;

export class TrustedProxiesError extends Error {
  override name = "TrustedProxiesError";
}

/**
 * CADENCE_TRUSTED_PROXIES: unset, "0" or "none" trusts no proxy; a number 1–10 trusts that many hops; otherwise a
 * comma-separated list of IP addresses or CIDR ranges (IPv4 or IPv6).
 */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const text = (value ?? "").trim();
  if (text === "" || text === "0" || text.toLowerCase() === "none") return { kind: "none" };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > MAX_PROXY_HOPS) throw new TrustedProxiesError(`at most ${MAX_PROXY_HOPS} proxy hops (got ${text})`);
    return { kind: "hops", hops };
  }
  const ranges = text.split(",").map((part) => part.trim());
  for (const range of ranges) {
    try {
      proxyaddr.compile(range);
    } catch {
      throw new TrustedProxiesError(
        `"${range}" is not an IP address or CIDR range (use a count such as 1, or addresses such as 10.0.0.0/8,192.0.2.7)`,
      );
    }
  }
  return { kind: "addresses", ranges };
}

// A trusted proxy writes one address per hop; anything longer is not an address and is not used as one.
const MAX_ADDRESS_LENGTH = 64;

/** The client's address as the trusted proxies report it, or the socket's; "unknown" when there is neither. */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | null,
  trusted: TrustedProxies,
): string {
  if (trusted.kind === "none" || !socketAddress) return socketAddress || "unknown";
  const request = { socket: { remoteAddress: socketAddress }, headers: { "x-forwarded-for": forwardedFor ?? "" } };
  const trust =
    trusted.kind === "hops" ? (_address: string, hop: number) => hop < trusted.hops : proxyaddr.compile(trusted.ranges);
  // proxy-addr reads only these two fields of a Node request.
  const address = proxyaddr(request as unknown as Parameters<typeof proxyaddr>[0], trust);
  return address && address.length <= MAX_ADDRESS_LENGTH ? address : socketAddress;
}

/** What the server tells every route about the connection (Remix's load context; server/start-server.ts). */
export interface ConnectionContext {
  socketAddress?: string;
}

export function socketAddressOf(context: unknown): string | undefined {
  const value = (context as ConnectionContext | null | undefined)?.socketAddress;
  return typeof value === "string" ? value : undefined;
}
