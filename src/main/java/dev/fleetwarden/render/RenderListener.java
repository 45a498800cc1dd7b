package dev.fleetwarden.render;

import dev.fleetwarden.model.ClusterRender;
import java.time.Duration;

/**
 * Progress of a fleet render, for progress output. Called from the render worker threads, so
 * implementations must be thread-safe; they must be quick and must not throw.
 */
public interface RenderListener {
  /** A listener that ignores every event. */
  RenderListener NONE = new RenderListener() {};

  /** A cluster's render begins. */
  default void clusterStarted(String cluster) {}

  /** A cluster's render ended, successfully or with {@link ClusterRender#error()}. */
  default void clusterDone(ClusterRender render, Duration elapsed) {}
}
