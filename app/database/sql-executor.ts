// The smallest surface both PGlite and node-postgres offer, so migrations and raw SQL run on either engine.
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  /** Runs a multi-statement script (a migration) as one unit. */
  exec(script: string): Promise<void>;
}
