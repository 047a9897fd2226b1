// The smallest SQL surface: what migrations and raw SQL need from a connection, a pool or a transaction.
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  /** Runs a multi-statement script (a migration) as one unit. */
  exec(script: string): Promise<void>;
}
