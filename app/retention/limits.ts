/** The range a shop's retention period for event logs may take (days); see purge.server.ts. */
export const MIN_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 3650;
