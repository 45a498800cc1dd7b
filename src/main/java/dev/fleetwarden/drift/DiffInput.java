package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.fleet.FleetSettings;
import dev.fleetwarden.model.ApiTypes;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.ResourceId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the diff of one cluster needs: the rendered desired objects, the live objects as the
 * API server returned them, the ids of the previous render (for orphans), the ignore rules of the
 * cluster and of each add-on (by add-on name), the field managers of human-operated clients (null:
 * the defaults), and the resource types whose schemas say how lists are matched (the built-in
 * kinds, plus the custom resources of the CRDs the caller found among the cluster's live objects
 * and the fleet's rendered objects; null: the built-in kinds only). Other null collections mean
 * empty.
 */
public record DiffInput(
    String cluster,
    List<DesiredObject> desired,
    List<? extends JsonNode> live,
    Set<ResourceId> previousRender,
    List<IgnoreRule> clusterIgnore,
    Map<String, List<IgnoreRule>> addonIgnore,
    Set<String> humanManagers,
    ApiTypes types) {

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
    types = types == null ? ApiTypes.builtIn() : types;
  }

  /** A diff with the default human-operated field managers and the built-in kinds' schemas. */
  public DiffInput(
      String cluster,
      List<DesiredObject> desired,
      List<? extends JsonNode> live,
      Set<ResourceId> previousRender,
      List<IgnoreRule> clusterIgnore,
      Map<String, List<IgnoreRule>> addonIgnore) {
    this(cluster, desired, live, previousRender, clusterIgnore, addonIgnore, null, null);
  }

  /** The same diff with lists matched by these types' schemas. */
  public DiffInput withTypes(ApiTypes otherTypes) {
    return new DiffInput(
        cluster,
        desired,
        live,
        previousRender,
        clusterIgnore,
        addonIgnore,
        humanManagers,
        otherTypes);
  }

  /** A diff with no previous render and no ignore rules. */
  public static DiffInput of(
      String cluster, List<DesiredObject> desired, List<? extends JsonNode> live) {
    return new DiffInput(cluster, desired, live, Set.of(), List.of(), Map.of(), null, null);
  }
}
