package dev.fleetwarden.ledger;

/**
 * Everything fleetwarden keeps between runs, one small interface per table: the findings, the scan
 * history, the last render and revision state of each cluster, the outbox, and the alert and pull
 * request state of each finding. The service keeps it in a database ({@code store.JdbcStore}: an
 * embedded H2 file by default, PostgreSQL when configured).
 */
public interface Ledger {

  /** The findings and their lifecycle; recording a scan appends to {@link #scans()}. */
  Findings findings();

  /** The history of scans and render errors. */
  Scans scans();

  /** The resources of each cluster's last good render; saving one updates {@link #revisions()}. */
  RenderHistory renderHistory();

  /** The last good revision and the last render error of each cluster. */
  Revisions revisions();

  /** The messages to send, kept until sent. */
  Outbox outbox();

  /** What each incident's alert message shows (one per cluster and channel). */
  AlertStates alertStates();

  /** Each finding's remediation pull request. */
  PullRequests pullRequests();

  /**
   * The installation's key of the keyed hash of Secret values ({@code drift.SecretHasher}): created
   * once ({@link ValueHashKey#generate()}) on the first start, then the same on every node and
   * after every restart, so fingerprints of Secret drift stay stable. A copy; never log or print
   * it.
   */
  byte[] valueHashKey();
}
