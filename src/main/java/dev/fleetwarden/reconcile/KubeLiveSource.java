package dev.fleetwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.kube.LiveState;
import dev.fleetwarden.kube.LiveStateReader;
import dev.fleetwarden.model.DesiredObject;
import java.util.List;

/** Live state from the clusters' API servers, one list per kind and namespace. */
public final class KubeLiveSource implements LiveSource {
  private final LiveStateReader reader;

  public KubeLiveSource(LiveStateReader reader) {
    this.reader = reader;
  }

  @Override
  public Observation observe(String cluster, List<DesiredObject> desired) {
    LiveState state = reader.read(cluster, desired);
    if (!state.isKnown()) {
      return Observation.unknown(state.unknownReason());
    }
    return new Observation(state.objects(), state.unservedGroupKinds(), null, state.crds());
  }

  @Override
  public List<? extends JsonNode> crds(String cluster) {
    return reader.crds(cluster);
  }
}
