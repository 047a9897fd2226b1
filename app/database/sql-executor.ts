// The smallest SQL surface: what migrations and raw SQL need from a connection, a pool or a transaction.
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  /** Runs a multi-statement script (a migration) as one unit. */
  exec(script: string): Promise<void>;
}

/**
 * The one way a transaction is run: BEGIN, the work, COMMIT on one connection; ROLLBACK when the work throws. A
 * rollback that itself fails is handed to onRollbackFailure (the pool then discards that connection) and the work's
 * error is what the caller sees.
 */
export async function transactionOn<T>(
  connection: SqlExecutor,
  work: (tx: SqlExecutor) => Promise<T>,
  onRollbackFailure: (error: Error) => void = () => undefined,
): Promise<T> {
  await connection.query("BEGIN");
  try {
    const result = await work(connection);
    await connection.query("COMMIT");
    return result;
  } catch (error) {
    await connection.query("ROLLBACK").catch(onRollbackFailure);
    throw error;
  }
}
