package dev.fleetwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.notify.AlertState;
import dev.fleetwarden.notify.AlertStatePort;
import dev.fleetwarden.notify.AlertStatus;
import dev.fleetwarden.store.ActionStateStore;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The notifier's alert state on the store's alert-state table: channel and payload hash in their
 * columns, the Slack ts, status and times as a small JSON document in the message reference.
 */
public final class StoreAlertStates implements AlertStatePort {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ActionStateStore store;

  public StoreAlertStates(ActionStateStore store) {
    this.store = store;
  }

  @Override
  public Optional<AlertState> find(String cluster, String fingerprint) {
    return store
        .alertState(fingerprint)
        .filter(s -> s.cluster().equals(cluster))
        .map(
            s -> {
              try {
                JsonNode ref = JSON.readTree(s.messageRef());
                return new AlertState(
                    cluster,
                    fingerprint,
                    s.channel(),
                    text(ref, "ts"),
                    s.payloadHash(),
                    AlertStatus.valueOf(ref.path("status").asText("OPEN")),
                    instant(ref, "createdAt"),
                    s.updatedAt(),
                    instant(ref, "remindedAt"));
              } catch (IOException e) {
                throw new IllegalStateException("alert state of " + fingerprint + " is damaged", e);
              }
            });
  }

  @Override
  public void save(AlertState state) {
    ObjectNode ref = JSON.createObjectNode();
    ref.put("ts", state.ts());
    ref.put("status", state.status().name());
    ref.put("createdAt", state.createdAt() == null ? null : state.createdAt().toString());
    ref.put("remindedAt", state.remindedAt() == null ? null : state.remindedAt().toString());
    store.saveAlertState(
        new dev.fleetwarden.store.AlertState(
            state.fingerprint(),
            state.cluster(),
            state.channel(),
            ref.toString(),
            state.payloadHash(),
            state.updatedAt()));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isNull() || v.isMissingNode() ? null : v.asText();
  }

  private static Instant instant(JsonNode n, String field) {
    String t = text(n, field);
    return t == null ? null : Instant.parse(t);
  }
}
