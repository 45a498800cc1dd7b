package dev.fleetwarden.reconcile;

import dev.fleetwarden.kube.ApiKind;
import dev.fleetwarden.kube.LiveState;
import dev.fleetwarden.kube.LiveStateReader;
import dev.fleetwarden.model.DesiredObject;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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
    Set<String> unserved =
        state.unservedKinds().stream().map(KubeLiveSource::key).collect(Collectors.toSet());
    return new Observation(state.objects(), unserved, null);
  }

  /**
   * How an absent kind is named: {@code apiVersion/kind}, e.g. {@code kyverno.io/v1/ClusterPolicy}.
   */
  static String key(ApiKind kind) {
    return kind.apiVersion() + "/" + kind.kind();
  }
}
