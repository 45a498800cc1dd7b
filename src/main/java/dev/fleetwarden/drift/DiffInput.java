package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.fleet.FleetSettings;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.ResourceId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the diff of one cluster needs: the rendered desired objects, the live objects as the
 * API server returned them, the ids of the previous render (for orphans), the ignore rules of the
 * cluster and of each add-on (by add-on name), and the field managers of human-operated clients
 * (null: the defaults). Other null collections mean empty.
 */
public record DiffInput(
    String cluster,
    List<DesiredObject> desired,
    List<? extends JsonNode> live,
    Set<ResourceId> previousRender,
    List<IgnoreRule> clusterIgnore,
    Map<String, List<IgnoreRule>> addonIgnore,
    Set<String> humanManagers) {

  /** The field managers of human-operated clients when the fleet names none. */
  public static final Set<String> DEFAULT_HUMAN_MANAGERS =
      Set.copyOf(FleetSettings.DEFAULT_HUMAN_MANAGERS);

  public DiffInput {
    desired = desired == null ? List.of() : desired;
    live = live == null ? List.of() : live;
    previousRender = previousRender == null ? Set.of() : previousRender;
    clusterIgnore = clusterIgnore == null ? List.of() : clusterIgnore;
    addonIgnore = addonIgnore == null ? Map.of() : addonIgnore;
    humanManagers = humanManagers == null ? DEFAULT_HUMAN_MANAGERS : Set.copyOf(humanManagers);
  }

  /** A diff with the default human-operated field managers. */
  public DiffInput(
      String cluster,
      List<DesiredObject> desired,
      List<? extends JsonNode> live,
      Set<ResourceId> previousRender,
      List<IgnoreRule> clusterIgnore,
      Map<String, List<IgnoreRule>> addonIgnore) {
    this(cluster, desired, live, previousRender, clusterIgnore, addonIgnore, null);
  }

  /** A diff with no previous render and no ignore rules. */
  public static DiffInput of(
      String cluster, List<DesiredObject> desired, List<? extends JsonNode> live) {
    return new DiffInput(cluster, desired, live, Set.of(), List.of(), Map.of(), null);
  }
}
