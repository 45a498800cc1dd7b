package dev.fleetwarden.store;

/**
 * Everything fleetwarden keeps between runs: the drift ledger, scan history, last renders, the
 * outbox, and alert / pull request state. One implementation over JDBC ({@link JdbcStore}): an
 * embedded H2 file by default, PostgreSQL when configured.
 */
public interface Store
    extends FindingStore, ScanHistory, RenderStore, Outbox, ActionStateStore, AutoCloseable {

  /** Releases the connections; the data stays. */
  @Override
  void close();
}
