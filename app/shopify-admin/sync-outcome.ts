// The columns every record of something Cadence keeps in step with Shopify carries (an offer's discount, a native
// segment): the last error, when, and whether it may pass by itself. One definition, so both records clear and keep
// an error the same way.

/** `temporary`: the failure may pass by itself (network, throttling, Shopify's 5xx), so it is retried. */
export interface SyncFailure {
  message: string;
  temporary: boolean;
}

/** No error: after a success, or when a new change is queued. */
export const NO_SYNC_ERROR = { lastError: null, lastErrorAt: null, lastErrorTemporary: false } as const;

/** The failure as stored: its message bounded, since Shopify's can be long. */
export function syncErrorColumns(failure: SyncFailure, now: Date) {
  return { lastError: failure.message.slice(0, 2000), lastErrorAt: now, lastErrorTemporary: failure.temporary };
}

/** After the queue's own retries, a temporary failure is tried again this long after it last happened. */
export const TEMPORARY_RETRY_MINUTES = 15;

/**
 * SQL that is true when the record `alias` is due a sync: a change waits (pendingSince), and no refusal holds it (a
 * refusal waits for the merchant) unless it was temporary and TEMPORARY_RETRY_MINUTES have passed.
 */
export function dueForSync(alias: string): string {
  return `${alias}."pendingSince" IS NOT NULL AND (${alias}."lastError" IS NULL OR (${alias}."lastErrorTemporary" AND ${alias}."lastErrorAt" < now() - make_interval(mins => ${TEMPORARY_RETRY_MINUTES})))`;
}
