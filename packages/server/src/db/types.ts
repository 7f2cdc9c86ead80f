/** The one database surface every repository uses, served by `pg` or by PGlite. */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
}

export interface Db extends Queryable {
  readonly engine: 'postgres' | 'pglite';
  /** Runs `fn` inside one transaction on one connection; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Connection-pool figures for /metrics (PGlite reports a pool of one). */
  poolStats(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}
