/**
 * The drift ledger: the lifecycle of a drift as data, and one small interface per thing kept
 * between runs. Pure: it imports only {@code model}; the database lives in {@code store}, the
 * in-memory fakes in the test tree.
 *
 * <p>A scan's drifts become {@link dev.fleetwarden.ledger.Finding findings} keyed by cluster and
 * {@link dev.fleetwarden.ledger.Fingerprints fingerprint}; {@link
 * dev.fleetwarden.ledger.ScanLedger} decides what is new, changed (a resource that drifted
 * differently: the old finding is superseded) and resolved, and {@link
 * dev.fleetwarden.ledger.Findings} records it as a {@link dev.fleetwarden.ledger.ScanOutcome}.
 * {@code notify} plans alerts from that outcome and keeps what it posted in {@link
 * dev.fleetwarden.ledger.AlertStates} through the {@link dev.fleetwarden.ledger.Outbox}; {@code
 * remediate} keeps one {@link dev.fleetwarden.ledger.PullRequests pull request} per finding. The
 * {@link dev.fleetwarden.ledger.Ledger} hands out all of them.
 */
package dev.fleetwarden.ledger;
