import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

// Shopify access and refresh tokens at rest: AES-256-GCM (node:crypto), a fresh 96-bit IV per value, and the row and
// column as additional authenticated data, so a value copied to another shop's row or into the other column does not
// decrypt. A stored value reads
//
//   enc1:<key id>:<iv>:<ciphertext>:<tag>        (base64url parts)
//
// The key id is the first 8 hex digits of SHA-256 over the key, so the ciphertext names the key that sealed it and a
// rotation needs no id of its own: CADENCE_TOKEN_KEY is the key new values are sealed with, CADENCE_TOKEN_KEY_PREVIOUS
// the keys still accepted for reading until every row has been re-sealed (sessions/reencrypt.ts runs at start-up).
// A value without the prefix is a plaintext token from before encryption: it is read as it is and re-sealed.

const PREFIX = "enc1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const TOKEN_KEY_BYTES = 32;

export interface TokenKeys {
  current: Buffer;
  previous: readonly Buffer[];
}

export class TokenDecryptionError extends Error {
  override name = "TokenDecryptionError";
}

export function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

/** Which stored value this is: the row (session id) and the column; both are bound into the ciphertext. */
export interface TokenField {
  sessionId: string;
  column: "accessToken" | "refreshToken";
}

const aad = (field: TokenField) => Buffer.from(`${field.sessionId}\u0000${field.column}`, "utf8");

export interface OpenedToken {
  token: string;
  /** Plaintext from before encryption, or sealed with a previous key: re-seal it with the current one. */
  stale: boolean;
}

export class TokenCipher {
  private readonly currentId: string;
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(keys: TokenKeys) {
    for (const key of [keys.current, ...keys.previous]) {
      if (key.length !== TOKEN_KEY_BYTES)
        throw new Error(`a token key must be ${TOKEN_KEY_BYTES} bytes, not ${key.length}`);
    }
    this.currentId = keyId(keys.current);
    // The current key wins a (vanishingly unlikely) id collision with a previous one.
    this.keys = new Map([...keys.previous.map((key) => [keyId(key), key] as const), [this.currentId, keys.current]]);
  }

  get currentKeyId(): string {
    return this.currentId;
  }

  seal(token: string, field: TokenField): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.keys.get(this.currentId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(field));
    const ciphertext = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
    return [
      PREFIX,
      this.currentId,
      iv.toString("base64url"),
      ciphertext.toString("base64url"),
      cipher.getAuthTag().toString("base64url"),
    ].join(":");
  }

  open(stored: string, field: TokenField): OpenedToken {
    if (!isSealed(stored)) return { token: stored, stale: true };
    const [, id, iv, ciphertext, tag] = stored.split(":");
    const key = id === undefined ? undefined : this.keys.get(id);
    if (!key) {
      throw new TokenDecryptionError(
        `the ${field.column} of session ${field.sessionId} is sealed with key ${id}, which is neither CADENCE_TOKEN_KEY nor in CADENCE_TOKEN_KEY_PREVIOUS`,
      );
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv!, "base64url"), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(aad(field));
      decipher.setAuthTag(Buffer.from(tag!, "base64url"));
      const token = Buffer.concat([decipher.update(Buffer.from(ciphertext!, "base64url")), decipher.final()]).toString(
        "utf8",
      );
      return { token, stale: id !== this.currentId };
    } catch {
      throw new TokenDecryptionError(
        `the ${field.column} of session ${field.sessionId} does not decrypt: altered, or moved from another row`,
      );
    }
  }

  /** Whether a stored value must be re-sealed: plaintext, or sealed with a key other than the current one. */
  isStale(stored: string): boolean {
    return !isSealed(stored) || stored.split(":")[1] !== this.currentId;
  }
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(`${PREFIX}:`) && stored.split(":").length === 5;
}
