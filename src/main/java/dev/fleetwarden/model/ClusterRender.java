package dev.fleetwarden.model;

import java.util.List;

/**
 * The desired state of one cluster: its objects sorted by resource id, or the error that stopped
 * the render. A failed render carries no objects: it must never be compared with live state.
 */
public record ClusterRender(String cluster, List<DesiredObject> objects, RenderError error) {
  public ClusterRender {
    objects = objects == null ? List.of() : List.copyOf(objects);
  }

  public static ClusterRender ok(String cluster, List<DesiredObject> objects) {
    return new ClusterRender(cluster, objects, null);
  }

  public static ClusterRender failed(RenderError error) {
    return new ClusterRender(error.cluster(), List.of(), error);
  }

  public boolean failed() {
    return error != null;
  }
}
