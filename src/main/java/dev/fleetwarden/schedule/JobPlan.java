package dev.fleetwarden.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The jobs and triggers a set of schedules asks for, given the current clusters. Pure. One job per
 * task and target cluster ({@link #FLEET} for fleet-wide tasks); one trigger per schedule and job,
 * so two schedules covering the same cluster share the job (and never run it concurrently).
 */
public record JobPlan(List<PlannedTrigger> triggers, List<String> unknownClusters) {
  /** The cluster segment of a fleet-wide job's key (not a valid cluster name). */
  public static final String FLEET = "_fleet";

  /** One trigger of one job. {@code cluster} is null for fleet-wide tasks. */
  public record PlannedTrigger(ScheduleSpec schedule, String cluster) {
    /** Job name: the cluster, or {@link #FLEET}; the job group is the task label. */
    public String jobName() {
      return cluster == null ? FLEET : cluster;
    }

    public String jobGroup() {
      return schedule.task().label();
    }

    /** Trigger name: {@code <schedule>/<cluster>}; the trigger group is the task label. */
    public String triggerName() {
      return schedule.name() + "/" + jobName();
    }
  }

  /** Resolves each schedule's cluster target against the directory. */
  public static JobPlan of(List<ScheduleSpec> schedules, ClusterDirectory directory) {
    Map<String, Map<String, String>> clusters = new TreeMap<>(directory.clusters());
    List<PlannedTrigger> out = new ArrayList<>();
    TreeSet<String> unknown = new TreeSet<>();
    for (ScheduleSpec s : schedules) {
      if (!s.task().perCluster()) {
        out.add(new PlannedTrigger(s, null));
        continue;
      }
      for (String name : s.clusters().names()) {
        if (!clusters.containsKey(name)) {
          unknown.add(name);
        }
      }
      clusters.forEach(
          (name, labels) -> {
            if (s.clusters().matches(name, labels == null ? Map.of() : labels)) {
              out.add(new PlannedTrigger(s, name));
            }
          });
    }
    out.sort(
        Comparator.comparing(PlannedTrigger::jobGroup)
            .thenComparing(PlannedTrigger::jobName)
            .thenComparing(PlannedTrigger::triggerName));
    return new JobPlan(List.copyOf(out), List.copyOf(unknown));
  }

  /** The distinct jobs, as {@code task/cluster} keys (fleet-wide: {@code task/_fleet}). */
  public List<String> jobKeys() {
    return triggers.stream().map(t -> t.jobGroup() + "/" + t.jobName()).distinct().toList();
  }
}
