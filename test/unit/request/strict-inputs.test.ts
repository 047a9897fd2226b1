import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { validCursorValue } from "~/admin-data/members.server";
import { bodyLimitFor, BODY_LIMITS, declaredTooLarge } from "~/request-body/limits";
import { strictBase64Digest } from "~/webhooks.server";

describe("webhook HMAC header: canonical base64 of 32 bytes only", () => {
  const digest = createHmac("sha256", "secret").update("body").digest();
  const header = digest.toString("base64");

  test("the exact encoding decodes; anything else a lenient decoder would accept does not", () => {
    expect(strictBase64Digest(header)?.equals(digest)).toBe(true);
    for (const variant of [
      `${header}!!junk`,
      `${header}AAAA`,
      header.slice(0, -1),
      ` ${header}`,
      header.replace(/[+/]/g, (c) => (c === "+" ? "-" : "_")),
      "",
      null,
    ]) {
      if (variant === header) continue;
      expect(strictBase64Digest(variant)).toBeNull();
    }
  });
});

describe("members-table cursor values", () => {
  test("numbers within their column's range, dates that exist, customer IDs of digits", () => {
    expect(validCursorValue("bigint", "9223372036854775807")).toBe(true);
    expect(validCursorValue("bigint", "-9223372036854775808")).toBe(true);
    expect(validCursorValue("bigint", "9223372036854775808")).toBe(false);
    expect(validCursorValue("bigint", "9999999999999999999")).toBe(false);
    expect(validCursorValue("int", "2147483647")).toBe(true);
    expect(validCursorValue("int", "2147483648")).toBe(false);
    expect(validCursorValue("int", "1e3")).toBe(false);
    expect(validCursorValue("date", "2026-02-28")).toBe(true);
    expect(validCursorValue("date", "2024-02-29")).toBe(true);
    expect(validCursorValue("date", "0001-01-01")).toBe(true);
    for (const date of ["2026-99-99", "2026-02-29", "2026-02-30", "0000-01-01", "2026-1-01", "2026-04-31"])
      expect(validCursorValue("date", date)).toBe(false);
    expect(validCursorValue("text", "12345678901234567890")).toBe(true);
    expect(validCursorValue("text", "123456789012345678901")).toBe(false);
  });
});

describe("body limits by route", () => {
  test("webhooks, app proxy (and the preview's stand-in) and everything else", () => {
    expect(bodyLimitFor("/webhooks")).toBe(BODY_LIMITS.webhook);
    expect(bodyLimitFor("/proxy/events")).toBe(BODY_LIMITS.appProxy);
    expect(bodyLimitFor("/apps/cadence/events")).toBe(BODY_LIMITS.appProxy);
    expect(bodyLimitFor("/app/settings.data")).toBe(BODY_LIMITS.admin);
    expect(BODY_LIMITS.appProxy.bytes).toBe(0);
  });

  test("a Content-Length over the limit, or not a number, is too large; none declared is decided by reading", () => {
    expect(declaredTooLarge("65536", BODY_LIMITS.admin)).toBe(false);
    expect(declaredTooLarge("65537", BODY_LIMITS.admin)).toBe(true);
    expect(declaredTooLarge("12abc", BODY_LIMITS.admin)).toBe(true);
    expect(declaredTooLarge("0", BODY_LIMITS.appProxy)).toBe(false);
    expect(declaredTooLarge(undefined, BODY_LIMITS.appProxy)).toBe(false);
  });
});
