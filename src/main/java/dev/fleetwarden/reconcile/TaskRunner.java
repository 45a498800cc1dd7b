package dev.fleetwarden.reconcile;

/**
 * Runs one scheduled task: what the scheduler ({@code schedule}) calls, implemented by {@link
 * FleetService}. It lives here so that the arrow points down, from the scheduler to the reconcile
 * step. The scheduler never runs the same task for the same cluster twice at once (also across
 * nodes on the clustered job store), so an implementation needs no locking of its own per task and
 * cluster. Different clusters run in parallel.
 */
@FunctionalInterface
public interface TaskRunner {

  /**
   * Runs {@code task} (a schedule's task label: {@code git-poll}, {@code kubernetes-drift}, {@code
   * terraform-drift}, {@code digest}) for {@code cluster}, or fleet-wide when {@code cluster} is
   * null. An exception is logged and the schedule continues; the firing is not retried. An
   * implementation should return promptly when its thread is interrupted (shutdown).
   */
  void run(String task, String cluster) throws Exception;

  /** As {@link #run(String, String)}, with the details of the firing. */
  default void run(TaskFiring firing) throws Exception {
    run(firing.task(), firing.cluster());
  }
}
