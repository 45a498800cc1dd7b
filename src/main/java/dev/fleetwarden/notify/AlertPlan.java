package dev.fleetwarden.notify;

import dev.fleetwarden.ledger.Outbox;
import java.util.List;

/**
 * What the planner decided: messages to enqueue, in order, and the fingerprints no route matched
 * (no message planned: log them and add a catch-all route to {@code fleet.yaml}).
 */
public record AlertPlan(List<PlannedMessage> messages, List<String> unrouted) {
  public AlertPlan {
    messages = List.copyOf(messages);
    unrouted = List.copyOf(unrouted);
  }

  /** Enqueues every message in order; already enqueued keys are left alone. */
  public int enqueueInto(Outbox outbox) {
    int added = 0;
    for (PlannedMessage m : messages) {
      if (outbox.enqueue(m.dedupKey(), m.message())) {
        added++;
      }
    }
    return added;
  }
}
