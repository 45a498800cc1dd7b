/**
 * Slack alerting: pure planning ({@link dev.fleetwarden.notify.AlertPlanner}), routing ({@link
 * dev.fleetwarden.notify.AlertRouter}) and Block Kit formatting ({@link
 * dev.fleetwarden.notify.SlackMessages}) apart from sending ({@link
 * dev.fleetwarden.notify.Notifier}, {@link dev.fleetwarden.notify.OutboxDispatcher}).
 *
 * <p>The flow: the drift ledger's outcome of one cluster's scan, with the cluster's open findings,
 * goes through {@code AlertPlanner.plan}, which returns outbox messages keyed by a dedup key: one
 * incident message per cluster and channel, edited as drifts join, change and resolve, with a
 * thread reply per change; they are enqueued in the ledger's {@link dev.fleetwarden.ledger.Outbox};
 * the dispatcher sends due rows through a notifier and records what it sent in the ledger's {@link
 * dev.fleetwarden.ledger.AlertStates}. The findings, alert states and outbox messages are the
 * ledger's types; this package adds routing and formatting. Nothing here holds a secret value:
 * Secret fields arrive masked as {@code hmac:} hashes and anything else found in a Secret is hidden
 * by the formatter.
 */
package dev.fleetwarden.notify;
