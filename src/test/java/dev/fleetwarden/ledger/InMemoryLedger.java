package dev.fleetwarden.ledger;

import java.time.Clock;
import java.time.Duration;

/**
 * The whole {@link Ledger} in memory, the fakes sharing their state as the store's tables do (a
 * scan appends to the scan history, a saved render marks its revision good). {@code LedgerContract}
 * proves it behaves like the store.
 */
public final class InMemoryLedger implements Ledger {
  private final InMemoryScans scans = new InMemoryScans();
  private final InMemoryFindings findings = new InMemoryFindings(scans);
  private final InMemoryRevisions revisions;
  private final InMemoryRenderHistory renderHistory;
  private final InMemoryOutbox outbox;
  private final InMemoryAlertStates alertStates;
  private final InMemoryPullRequests pullRequests;
  private final byte[] valueHashKey = ValueHashKey.generate();

  public InMemoryLedger(Clock clock, Duration outboxLease) {
    this.revisions = new InMemoryRevisions(clock, scans, findings);
    this.renderHistory = new InMemoryRenderHistory(clock, revisions);
    this.outbox = new InMemoryOutbox(clock, outboxLease, "test-node");
    this.alertStates = new InMemoryAlertStates(clock);
    this.pullRequests = new InMemoryPullRequests(clock);
  }

  @Override
  public InMemoryFindings findings() {
    return findings;
  }

  @Override
  public InMemoryScans scans() {
    return scans;
  }

  @Override
  public InMemoryRenderHistory renderHistory() {
    return renderHistory;
  }

  @Override
  public InMemoryRevisions revisions() {
    return revisions;
  }

  @Override
  public InMemoryOutbox outbox() {
    return outbox;
  }

  @Override
  public InMemoryAlertStates alertStates() {
    return alertStates;
  }

  @Override
  public InMemoryPullRequests pullRequests() {
    return pullRequests;
  }

  @Override
  public byte[] valueHashKey() {
    return valueHashKey.clone();
  }
}
