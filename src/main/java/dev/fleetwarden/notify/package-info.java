/**
 * Slack alerting: pure planning ({@link dev.fleetwarden.notify.AlertPlanner}), routing ({@link
 * dev.fleetwarden.notify.AlertRouter}) and Block Kit formatting ({@link
 * dev.fleetwarden.notify.SlackMessages}) apart from sending ({@link
 * dev.fleetwarden.notify.Notifier}, {@link dev.fleetwarden.notify.OutboxDispatcher}).
 *
 * <p>The flow: a scan's findings of one cluster go through {@code AlertPlanner.plan}, which returns
 * outbox messages keyed by a dedup key; they are enqueued in the {@link
 * dev.fleetwarden.notify.OutboxPort}; the dispatcher sends due rows through a notifier and records
 * what it sent in the {@link dev.fleetwarden.notify.AlertStatePort}. Nothing here holds a secret
 * value: Secret fields arrive masked as {@code hmac:} hashes and anything else found in a Secret is
 * hidden by the formatter.
 */
package dev.fleetwarden.notify;
