import { describe, expect, test } from "vitest";
import { keyId, TokenCipher, TokenDecryptionError } from "~/sessions/token-cipher";

// Tokens at rest: AES-256-GCM with the key's id in the value, bound to its row and column, and a rotation that reads
// the previous key's values until they are re-sealed with the new one.

const OLD = Buffer.alloc(32, 1);
const NEW = Buffer.alloc(32, 2);
const FIELD = { sessionId: "offline_a.myshopify.com", column: "accessToken" } as const;

describe("TokenCipher", () => {
  test("a sealed token names its key, hides the token, differs every time, and opens to the token", () => {
    const cipher = new TokenCipher({ current: NEW, previous: [] });
    const [one, two] = [cipher.seal("shpat_abc123", FIELD), cipher.seal("shpat_abc123", FIELD)];
    expect(one).toMatch(new RegExp(`^enc1:${keyId(NEW)}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+:[A-Za-z0-9_-]{22}$`));
    expect(one).not.toContain("abc123");
    expect(one).not.toBe(two);
    expect(cipher.open(one, FIELD)).toEqual({ token: "shpat_abc123", stale: false });
    expect(cipher.isStale(one)).toBe(false);
  });

  test("a value moved to another row or column, or altered, does not open", () => {
    const cipher = new TokenCipher({ current: NEW, previous: [] });
    const sealed = cipher.seal("shpat_abc123", FIELD);
    expect(() => cipher.open(sealed, { ...FIELD, sessionId: "offline_b.myshopify.com" })).toThrow(TokenDecryptionError);
    expect(() => cipher.open(sealed, { ...FIELD, column: "refreshToken" })).toThrow(TokenDecryptionError);
    const parts = sealed.split(":");
    parts[3] = parts[3]!.startsWith("A") ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`;
    expect(() => cipher.open(parts.join(":"), FIELD)).toThrow(/does not decrypt/);
  });

  test("rotation: the previous key still opens its values, which are stale until re-sealed; without it they are refused", () => {
    const sealedOld = new TokenCipher({ current: OLD, previous: [] }).seal("shpat_abc123", FIELD);
    const rotating = new TokenCipher({ current: NEW, previous: [OLD] });
    expect(rotating.open(sealedOld, FIELD)).toEqual({ token: "shpat_abc123", stale: true });
    expect(rotating.isStale(sealedOld)).toBe(true);
    const resealed = rotating.seal(rotating.open(sealedOld, FIELD).token, FIELD);
    const rotated = new TokenCipher({ current: NEW, previous: [] });
    expect(rotated.open(resealed, FIELD)).toEqual({ token: "shpat_abc123", stale: false });
    expect(() => rotated.open(sealedOld, FIELD)).toThrow(
      new RegExp(`sealed with key ${keyId(OLD)}, which is neither CADENCE_TOKEN_KEY nor in CADENCE_TOKEN_KEY_PREVIOUS`),
    );
  });

  test("a plaintext token from before encryption is read as it is and marked stale", () => {
    const cipher = new TokenCipher({ current: NEW, previous: [] });
    expect(cipher.open("shpat_from_2025", FIELD)).toEqual({ token: "shpat_from_2025", stale: true });
    expect(cipher.isStale("shpat_from_2025")).toBe(true);
  });

  test("a key of the wrong length is refused", () => {
    expect(() => new TokenCipher({ current: Buffer.alloc(16), previous: [] })).toThrow(/32 bytes, not 16/);
  });
});
