package dev.fleetwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.kube.LiveDump;
import dev.fleetwarden.model.ApiTypes;
import dev.fleetwarden.model.DesiredObject;
import java.util.List;

/** Live state from {@code kubectl get -o yaml} dumps ({@code DIR/<cluster>/*.yaml}). */
public final class DumpLiveSource implements LiveSource {
  private final LiveDump dump;

  public DumpLiveSource(LiveDump dump) {
    this.dump = dump;
  }

  @Override
  public Observation observe(String cluster, List<DesiredObject> desired) {
    try {
      return Observation.of(dump.read(cluster));
    } catch (LiveDump.DumpException e) {
      return Observation.unknown(e.getMessage());
    }
  }

  /** The CRDs among the cluster's dumped objects. */
  @Override
  public List<? extends JsonNode> crds(String cluster) {
    try {
      return dump.read(cluster).stream().filter(ApiTypes::isCrd).toList();
    } catch (LiveDump.DumpException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
