package dev.fleetwarden.ledger;

/**
 * The ledger contract on the in-memory fakes: what the pure notify and remediate tests run on
 * behaves like the store. A "restart" keeps the same fakes, as the data of a database survives.
 */
class InMemoryLedgerTest extends LedgerContract {
  @Override
  protected Ledger open() {
    return new InMemoryLedger(clock, LEASE);
  }

  @Override
  protected Ledger reopen(Ledger before) {
    return before;
  }

  @Override
  protected void close(Ledger ledger) {}
}
