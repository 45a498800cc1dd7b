package dev.fleetwarden.reconcile;

import dev.fleetwarden.kube.LiveDump;
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
}
