package dev.fleetwarden.notify;

import dev.fleetwarden.ledger.AlertState;
import dev.fleetwarden.ledger.AlertStates;
import dev.fleetwarden.ledger.AlertStatus;
import dev.fleetwarden.ledger.MessageRef;
import dev.fleetwarden.ledger.Outbox;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.ledger.OutboxRow;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Sends due outbox rows through a {@link Notifier} and records what was sent in the {@link
 * AlertStates}. Call {@link #dispatchDue()} on a schedule (every few seconds); each call claims at
 * most {@link DispatchSettings#batchSize()} rows.
 *
 * <p>Per row:
 *
 * <ul>
 *   <li>{@code ALERT}: posts the message and records the alert state (channel id, ts, payload
 *       hash). If the alert state already holds a message, nothing is posted again, unless that
 *       message shows a resolved incident and this post opens a new one: then the new message
 *       replaces it in the alert state (the old one keeps its thread).
 *   <li>{@code UPDATE}: edits the alert message found in the alert state; an edit that would show
 *       what the message shows already is skipped.
 *   <li>{@code THREAD_REPLY}, {@code REMINDER}: replies in the alert's thread; a reminder records
 *       its time.
 *   <li>{@code STANDALONE}: posts the message.
 * </ul>
 *
 * An edit or reply whose alert was not posted yet is deferred by {@link
 * DispatchSettings#waitForPost()}. After HTTP 429 the row and every other row of the pass are due
 * again after {@code Retry-After}; after any other failure the row is due again after an
 * exponential backoff with a cap. No row is ever dropped.
 *
 * <p>Rows of one alert key (an incident, or a drift fingerprint alerted before incidents) go out in
 * enqueue order ({@link Outbox#claimDue}), so an incident's "resolved" edit reaches the old message
 * before the post of the next incident replaces it.
 *
 * <p>Exactly-once: a row is marked sent right after the send succeeds, then the alert state is
 * saved. A crash between the send and {@code markSent} is the one window in which a message can be
 * sent twice (the row is claimed again when its lease expires). A crash between {@code markSent}
 * and saving the state of an {@code ALERT} leaves later edits of that alert deferred; stores that
 * can should run {@code markSent} and {@code save} in one transaction.
 */
public final class OutboxDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);

  private final Outbox outbox;
  private final AlertStates states;
  private final Notifier notifier;
  private final Clock clock;
  private final DispatchSettings settings;

  public OutboxDispatcher(
      Outbox outbox,
      AlertStates states,
      Notifier notifier,
      Clock clock,
      DispatchSettings settings) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.states = Objects.requireNonNull(states, "states");
    this.notifier = Objects.requireNonNull(notifier, "notifier");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = settings == null ? DispatchSettings.DEFAULTS : settings;
  }

  /**
   * Sends what is due: claims up to {@link DispatchSettings#batchSize()} rows and tries each once,
   * and claims again while a round sent something (an alert's edits become claimable once the alert
   * is posted), for at most {@value #MAX_ROUNDS} rounds. A failure of the store itself (claim,
   * markSent) propagates: the pass stops and the claimed rows wait for their lease.
   */
  public DispatchResult dispatchDue() {
    DispatchResult total = new DispatchResult(0, 0, 0, false);
    for (int round = 0; round < MAX_ROUNDS; round++) {
      DispatchResult r = dispatchRound();
      total =
          new DispatchResult(
              total.sent() + r.sent(),
              total.deferred() + r.deferred(),
              total.failed() + r.failed(),
              r.rateLimited());
      if (r.rateLimited() || r.sent() == 0) {
        break;
      }
    }
    return total;
  }

  static final int MAX_ROUNDS = 10;

  private DispatchResult dispatchRound() {
    Instant now = clock.instant();
    List<OutboxRow> rows = outbox.claimDue(now, settings.batchSize());
    int sent = 0;
    int deferred = 0;
    int failed = 0;
    for (int i = 0; i < rows.size(); i++) {
      OutboxRow row = rows.get(i);
      Outcome outcome;
      try (MdcScope ignored = MdcScope.of(row)) {
        outcome = dispatch(row, now);
      } catch (RateLimitedException e) {
        Instant next = now.plus(e.retryAfter());
        LOG.warn("{}; {} row(s) of this pass wait until {}", e.getMessage(), rows.size() - i, next);
        outbox.markFailed(row.id(), e.getMessage(), next);
        for (OutboxRow rest : rows.subList(i + 1, rows.size())) {
          outbox.markFailed(rest.id(), "not tried: Slack rate limit", next);
        }
        return new DispatchResult(sent, deferred, failed + rows.size() - i, true);
      } catch (NotifyException e) {
        Instant next = now.plus(settings.backoff(row.earlierAttempts()));
        LOG.warn(
            "outbox row {} ({}) failed, attempt {}: {}; retrying at {}",
            row.id(),
            row.message().kind(),
            row.earlierAttempts() + 1,
            e.getMessage(),
            next);
        outbox.markFailed(row.id(), e.getMessage(), next);
        failed++;
        continue;
      }
      if (outcome == Outcome.DEFERRED) {
        deferred++;
      } else {
        sent++;
      }
    }
    return new DispatchResult(sent, deferred, failed, false);
  }

  /** Runs a notifier call; anything it throws becomes a (retryable) NotifyException. */
  private static <T> T send(Supplier<T> call) {
    try {
      return call.get();
    } catch (NotifyException e) {
      throw e;
    } catch (RuntimeException e) {
      // The exception text may quote the message; only its type is kept.
      throw new NotifyException("unexpected " + e.getClass().getName() + " while sending", e);
    }
  }

  private enum Outcome {
    SENT,
    DEFERRED
  }

  private Outcome dispatch(OutboxRow row, Instant now) {
    OutboxMessage m = row.message();
    if (m.kind() == OutboxMessage.Kind.STANDALONE) {
      MessageRef ref = send(() -> notifier.post(m.channel(), m.text(), m.blocks(), null));
      outbox.markSent(row.id(), ref);
      return Outcome.SENT;
    }
    Optional<AlertState> found = states.find(m.cluster(), m.fingerprint());
    if (m.kind() == OutboxMessage.Kind.ALERT) {
      if (found.isPresent() && found.get().ts() != null && !replaces(found.get(), m)) {
        LOG.info("alert of {} was posted already; not posting it again", m.orderKey());
        outbox.markSent(row.id(), found.get().message());
        return Outcome.SENT;
      }
      MessageRef ref = send(() -> notifier.post(m.channel(), m.text(), m.blocks(), null));
      outbox.markSent(row.id(), ref);
      Instant at = clock.instant();
      saveState(
          new AlertState(
              m.cluster(),
              m.fingerprint(),
              ref.channel(),
              ref.ts(),
              m.payloadHash(),
              m.status() == null ? AlertStatus.OPEN : m.status(),
              at,
              at,
              null));
      return Outcome.SENT;
    }
    if (found.isEmpty() || found.get().ts() == null) {
      Instant next = now.plus(settings.waitForPost());
      outbox.markFailed(
          row.id(), "waiting for the alert message of " + m.orderKey() + " to be posted", next);
      return Outcome.DEFERRED;
    }
    AlertState state = found.get();
    switch (m.kind()) {
      case UPDATE -> {
        AlertStatus status = m.status() == null ? state.status() : m.status();
        if (Objects.equals(m.payloadHash(), state.payloadHash()) && status == state.status()) {
          outbox.markSent(row.id(), state.message());
          return Outcome.SENT;
        }
        send(
            () -> {
              notifier.update(state.message(), m.text(), m.blocks());
              return null;
            });
        outbox.markSent(row.id(), state.message());
        saveState(state.updated(m.payloadHash(), status, clock.instant()));
      }
      case THREAD_REPLY -> {
        MessageRef ref =
            send(() -> notifier.post(state.channel(), m.text(), m.blocks(), state.ts()));
        outbox.markSent(row.id(), ref);
      }
      case REMINDER -> {
        MessageRef ref =
            send(() -> notifier.post(state.channel(), m.text(), m.blocks(), state.ts()));
        outbox.markSent(row.id(), ref);
        saveState(state.reminded(clock.instant()));
      }
      default -> throw new IllegalStateException("unhandled kind " + m.kind());
    }
    return Outcome.SENT;
  }

  /**
   * Whether an alert post replaces the message its state holds: that message shows a resolved
   * incident and the post opens a new one. A post that would show what the message shows (open, or
   * both resolved) is not sent again.
   */
  private static boolean replaces(AlertState state, OutboxMessage post) {
    return state.status() == AlertStatus.RESOLVED && post.status() != AlertStatus.RESOLVED;
  }

  /**
   * Saves the alert state after a row was marked sent. A failure here must not mark the row failed
   * (it was sent): it is logged, and later edits of the alert wait until the state is known.
   */
  private void saveState(AlertState state) {
    try {
      states.save(state);
    } catch (RuntimeException e) {
      LOG.error(
          "alert state of {}/{} not recorded ({}); its edits and replies wait until it is: check"
              + " the store",
          state.cluster(),
          state.fingerprint(),
          e.getClass().getSimpleName());
    }
  }

  /** Puts the row's cluster and fingerprint in the logging context while it is sent. */
  private static final class MdcScope implements AutoCloseable {
    static MdcScope of(OutboxRow row) {
      MDC.put("outbox.id", Long.toString(row.id()));
      if (row.message().cluster() != null) {
        MDC.put("cluster", row.message().cluster());
        MDC.put("fingerprint", row.message().fingerprint());
      }
      return new MdcScope();
    }

    @Override
    public void close() {
      MDC.remove("outbox.id");
      MDC.remove("cluster");
      MDC.remove("fingerprint");
    }
  }
}
