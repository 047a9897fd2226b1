import { describe, expect, test } from "vitest";
import { clientAddress, parseTrustedProxies } from "~/client-address/trusted-proxies";
import { ConfigError, parseConfig } from "~/config.server";

// CADENCE_TRUSTED_PROXIES and the address a rate limit is keyed on. X-Forwarded-For is a list each proxy appends to:
// the client writes its leftmost entries, so only the entries trusted hops wrote may be believed.

describe("the setting", () => {
  test("unset, 0 and none trust no proxy; a number is hops; otherwise addresses and CIDR ranges", () => {
    for (const none of [undefined, "", "0", "none", " NONE "])
      expect(parseTrustedProxies(none)).toEqual({ kind: "none" });
    expect(parseTrustedProxies("2")).toEqual({ kind: "hops", hops: 2 });
    expect(parseTrustedProxies("10.0.0.0/8, 192.0.2.7,2001:db8::/32,loopback")).toEqual({
      kind: "addresses",
      ranges: ["10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "loopback"],
    });
  });

  test("the configuration refuses an invalid value, naming the variable and what is wrong", () => {
    for (const [value, problem] of [
      ["11", /at most 10 proxy hops/],
      ["10.0.0.0/33", /"10.0.0.0\/33" is not an IP address or CIDR range/],
      ["proxy.example.com", /"proxy.example.com" is not an IP address/],
      ["10.0.0.1,,10.0.0.2", /"" is not an IP address/],
    ] as const) {
      const attempt = () => parseConfig({ NODE_ENV: "test", CADENCE_TRUSTED_PROXIES: value });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(/CADENCE_TRUSTED_PROXIES/);
      expect(attempt).toThrow(problem);
    }
    expect(parseConfig({ NODE_ENV: "test" }).trustedProxies).toEqual({ kind: "none" });
    expect(parseConfig({ NODE_ENV: "test", CADENCE_TRUSTED_PROXIES: "1" }).trustedProxies).toEqual({
      kind: "hops",
      hops: 1,
    });
  });
});

describe("the client's address", () => {
  const forwarded = "192.0.2.66, 198.51.100.1, 10.0.0.5";

  test("trusting none: the socket's, whatever X-Forwarded-For says", () => {
    expect(clientAddress("10.0.0.9", forwarded, { kind: "none" })).toBe("10.0.0.9");
    expect(clientAddress(undefined, forwarded, { kind: "none" })).toBe("unknown");
  });

  test("trusting hops: the entry that many hops back from the socket", () => {
    expect(clientAddress("10.0.0.9", forwarded, { kind: "hops", hops: 1 })).toBe("10.0.0.5");
    expect(clientAddress("10.0.0.9", forwarded, { kind: "hops", hops: 2 })).toBe("198.51.100.1");
    // More hops than entries: the leftmost, which is then all there is.
    expect(clientAddress("10.0.0.9", "198.51.100.1", { kind: "hops", hops: 3 })).toBe("198.51.100.1");
    expect(clientAddress("10.0.0.9", null, { kind: "hops", hops: 1 })).toBe("10.0.0.9");
  });

  test("trusting addresses: the first address from the right that is not a trusted proxy", () => {
    expect(clientAddress("10.0.0.9", forwarded, { kind: "addresses", ranges: ["10.0.0.0/8"] })).toBe("198.51.100.1");
    expect(clientAddress("203.0.113.1", forwarded, { kind: "addresses", ranges: ["10.0.0.0/8"] })).toBe("203.0.113.1");
    // A forged entry that is not an address stops the walk there, and is not used as a key if absurdly long.
    expect(clientAddress("10.0.0.9", "not-an-address", { kind: "addresses", ranges: ["10.0.0.0/8"] })).toBe(
      "not-an-address",
    );
    expect(clientAddress("10.0.0.9", "x".repeat(500), { kind: "hops", hops: 1 })).toBe("10.0.0.9");
  });
});
