import type { PrismaClient } from "@prisma/client";
import { TokenDecryptionError } from "./token-cipher";
import type { TokenCipher, TokenField } from "./token-cipher";

// Run at start-up (server/serve.ts, the demo) after the migrations: every session's tokens end sealed with the
// current key, whether they were plaintext (stored before encryption) or sealed with a key being rotated out. Each row
// is rewritten with a compare-and-swap on the values read, so a token refreshed by another instance meanwhile is left
// as that instance stored it (already under the current key). Sessions are one or two per shop: one pass reads them all.

export interface ReencryptResult {
  checked: number;
  resealed: number;
  /** Sessions sealed with a key that is no longer configured: their tokens cannot be read until it is restored. */
  unreadable: string[];
}

export async function reencryptSessionTokens(prisma: PrismaClient, cipher: TokenCipher): Promise<ReencryptResult> {
  const rows = await prisma.session.findMany({
    select: { id: true, accessToken: true, refreshToken: true },
    orderBy: { id: "asc" },
  });
  const result: ReencryptResult = { checked: rows.length, resealed: 0, unreadable: [] };
  for (const row of rows) {
    const stale =
      (row.accessToken && cipher.isStale(row.accessToken)) || (row.refreshToken && cipher.isStale(row.refreshToken));
    if (!stale) continue;
    const reseal = (value: string | null, column: TokenField["column"]) =>
      value
        ? cipher.seal(cipher.open(value, { sessionId: row.id, column }).token, { sessionId: row.id, column })
        : value;
    let data: { accessToken: string; refreshToken: string | null };
    try {
      data = {
        accessToken: reseal(row.accessToken, "accessToken") ?? "",
        refreshToken: reseal(row.refreshToken, "refreshToken"),
      };
    } catch (error) {
      if (!(error instanceof TokenDecryptionError)) throw error;
      result.unreadable.push(row.id);
      continue;
    }
    const { count } = await prisma.session.updateMany({
      where: { id: row.id, accessToken: row.accessToken, refreshToken: row.refreshToken },
      data,
    });
    result.resealed += count;
  }
  return result;
}
