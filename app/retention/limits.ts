/** The range a shop's retention period for event logs may take (days); see purge.server.ts. */
export const MIN_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 3650;

/**
 * A customers/data_request export (Settings › Privacy) is deleted this many days after the merchant marked it handed
 * over to the customer: long enough to download it again if the hand-over failed.
 */
export const DATA_REQUEST_KEEP_AFTER_HANDOVER_DAYS = 30;
/**
 * And this many days after it was assembled in any case, handed over or not: three times the 30 days Shopify gives
 * for answering a data request. The data itself stays in Cadence; a new request assembles it again.
 */
export const DATA_REQUEST_KEEP_DAYS = 90;
