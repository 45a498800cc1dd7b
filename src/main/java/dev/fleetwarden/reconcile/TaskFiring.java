package dev.fleetwarden.reconcile;

import java.time.Instant;

/**
 * One execution of a scheduled task. {@code cluster} is null for fleet-wide tasks. {@code
 * scheduledAt} is the time the trigger was due; for a recovered execution (its node died while
 * running it) it is the due time of the original firing, and {@code recovering} is true.
 */
public record TaskFiring(
    String task,
    String cluster,
    Instant scheduledAt,
    Instant firedAt,
    boolean recovering,
    String node,
    String fireId,
    String schedule) {}
