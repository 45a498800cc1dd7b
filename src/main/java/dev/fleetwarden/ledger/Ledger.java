package dev.fleetwarden.ledger;

/**
 * Everything fleetwarden keeps between runs, one small interface per table: the findings, the scan
 * history, the last render and revision state of each cluster, the outbox, and the alert and pull
 * request state of each finding. The service keeps it in a database ({@code store.JdbcStore}: an
 * embedded H2 file by default, PostgreSQL when configured).
 */
public interface Ledger {

  Findings findings();

  Scans scans();

  RenderHistory renderHistory();

  Revisions revisions();

  Outbox outbox();

  AlertStates alertStates();

  PullRequests pullRequests();

  /**
   * The installation's key of the keyed hash of Secret values ({@code drift.SecretHasher}): created
   * once ({@link ValueHashKey#generate()}) on the first start, then the same on every node and
   * after every restart, so fingerprints of Secret drift stay stable. A copy; never log or print
   * it.
   */
  byte[] valueHashKey();
}
