package dev.fleetwarden.ledger;

import dev.fleetwarden.model.ClusterStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * One entry of the scan history: which cluster, which part ({@code scope}: {@code all}, {@code
 * kubernetes} or {@code terraform}), when, at which fleet revision, the verdict, the counts from
 * its {@link ScanOutcome}, how long it took, and a message (the reason of an unknown or broken
 * scan, else null).
 */
public record ScanRecord(
    long id,
    String cluster,
    String scope,
    Instant at,
    String revision,
    ClusterStatus status,
    int newCount,
    int changedCount,
    int resolvedCount,
    int openCount,
    Duration duration,
    String message) {}
