import type { PrismaClient } from "@prisma/client";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import type { TokenCipher, TokenField } from "./token-cipher";

// Shopify's Prisma session storage with the access and refresh tokens sealed at rest (token-cipher.ts). Everything
// else (the row's shape, upserts, lookups by shop) stays the library's. A session read whose tokens are plaintext
// (stored before encryption) or sealed with a previous key is re-sealed with the current key as it is read; the write
// is a compare-and-swap, so a token refreshed meanwhile by another instance is never overwritten with the older one.

export interface SessionTokens {
  accessToken?: string | undefined;
  refreshToken?: string | undefined;
}

export class EncryptedPrismaSessionStorage<T extends PrismaClient> extends PrismaSessionStorage<T> {
  constructor(
    protected readonly client: T,
    protected readonly cipher: TokenCipher,
  ) {
    super(client);
  }

  override async storeSession(session: Session): Promise<boolean> {
    return super.storeSession(withTokens(session, this.seal(session.id, session)));
  }

  override async loadSession(id: string): Promise<Session | undefined> {
    const stored = await super.loadSession(id);
    return stored && this.openAndReseal(stored);
  }

  override async findSessionsByShop(shop: string): Promise<Session[]> {
    return Promise.all((await super.findSessionsByShop(shop)).map((session) => this.openAndReseal(session)));
  }

  protected seal(sessionId: string, tokens: SessionTokens): SessionTokens {
    const seal = (token: string | undefined, column: TokenField["column"]) =>
      token ? this.cipher.seal(token, { sessionId, column }) : undefined;
    return {
      accessToken: seal(tokens.accessToken, "accessToken"),
      refreshToken: seal(tokens.refreshToken, "refreshToken"),
    };
  }

  protected open(sessionId: string, stored: SessionTokens): { tokens: SessionTokens; stale: boolean } {
    const open = (value: string | undefined, column: TokenField["column"]) =>
      value ? this.cipher.open(value, { sessionId, column }) : undefined;
    const access = open(stored.accessToken, "accessToken");
    const refresh = open(stored.refreshToken, "refreshToken");
    return {
      tokens: { accessToken: access?.token, refreshToken: refresh?.token },
      stale: Boolean(access?.stale || refresh?.stale),
    };
  }

  private async openAndReseal(stored: Session): Promise<Session> {
    const { tokens, stale } = this.open(stored.id, stored);
    if (stale) {
      const sealed = this.seal(stored.id, tokens);
      await this.client.session.updateMany({
        where: { id: stored.id, accessToken: stored.accessToken ?? "", refreshToken: stored.refreshToken ?? null },
        data: { accessToken: sealed.accessToken ?? "", refreshToken: sealed.refreshToken ?? null },
      });
    }
    return withTokens(stored, tokens);
  }
}

/** A copy of the session with other token values (and, when given, expiry and scope); the original is untouched. */
export function withTokens(
  session: Session,
  tokens: SessionTokens & {
    expires?: Date | undefined;
    refreshTokenExpires?: Date | undefined;
    scope?: string | undefined;
  },
): Session {
  const params = session.toObject();
  const copy = new Session({ ...params, accessToken: tokens.accessToken });
  copy.refreshToken = tokens.refreshToken;
  if ("expires" in tokens) copy.expires = tokens.expires;
  if ("refreshTokenExpires" in tokens) copy.refreshTokenExpires = tokens.refreshTokenExpires;
  if ("scope" in tokens) copy.scope = tokens.scope;
  return copy;
}
