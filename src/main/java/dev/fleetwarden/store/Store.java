package dev.fleetwarden.store;

/**
 * Everything fleetwarden keeps between runs: the drift ledger, scan history, last renders, the
 * outbox, and alert / pull request state. One implementation over JDBC ({@link JdbcStore}): an
 * embedded H2 file by default, PostgreSQL when configured.
 */
public interface Store
    extends FindingStore, ScanHistory, RenderStore, Outbox, ActionStateStore, AutoCloseable {

  /**
   * The installation's key of the keyed hash of Secret values ({@code drift.SecretHasher}): created
   * once on the first start, then the same on every node and after every restart, so fingerprints
   * of Secret drift stay stable. A copy; never log or print it.
   */
  byte[] valueHashKey();

  /** Releases the connections; the data stays. */
  @Override
  void close();
}
