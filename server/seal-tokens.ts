import type { PrismaClient } from "@prisma/client";
import { reencryptSessionTokens } from "../app/sessions/reencrypt.ts";
import { TokenCipher } from "../app/sessions/token-cipher.ts";
import type { TokenKeys } from "../app/sessions/token-cipher.ts";

// At start-up, after the migrations: every session's tokens sealed with CADENCE_TOKEN_KEY (plaintext rows from before
// encryption, and rows sealed with a key in CADENCE_TOKEN_KEY_PREVIOUS). Says what it did; a row sealed with a key no
// longer configured is named, since its shop's requests fail until the key is put back.
export async function reportReencryption(prisma: PrismaClient, keys: TokenKeys): Promise<void> {
  const result = await reencryptSessionTokens(prisma, new TokenCipher(keys));
  if (result.resealed > 0)
    console.log(`Sealed the tokens of ${result.resealed} session(s) with the current CADENCE_TOKEN_KEY.`);
  if (result.unreadable.length > 0) {
    console.error(
      `The tokens of ${result.unreadable.length} session(s) are sealed with a key that is neither CADENCE_TOKEN_KEY nor in ` +
        `CADENCE_TOKEN_KEY_PREVIOUS (${result.unreadable.join(", ")}): put that key back in CADENCE_TOKEN_KEY_PREVIOUS.`,
    );
  }
}
