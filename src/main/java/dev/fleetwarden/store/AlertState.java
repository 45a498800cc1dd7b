package dev.fleetwarden.store;

import java.time.Instant;

/**
 * The alert posted for a drift fingerprint: where (channel), which message (e.g. Slack ts), and a
 * hash of the last payload sent, so a repeat scan does not repeat the message.
 */
public record AlertState(
    String fingerprint,
    String cluster,
    String channel,
    String messageRef,
    String payloadHash,
    Instant updatedAt) {}
