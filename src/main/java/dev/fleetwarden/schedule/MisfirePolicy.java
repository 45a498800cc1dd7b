package dev.fleetwarden.schedule;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What to do with firings missed while the scheduler was down or the job was still running. */
public enum MisfirePolicy {
  /** Run once as soon as possible, then continue with the schedule (the default). */
  FIRE_ONCE_NOW("fire-once-now"),
  /** Skip missed firings; wait for the next scheduled time. */
  DO_NOTHING("do-nothing"),
  /** Run every missed firing, as soon as possible. */
  IGNORE_MISFIRES("ignore-misfires");

  private final String label;

  MisfirePolicy(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Optional<MisfirePolicy> fromLabel(String label) {
    return Arrays.stream(values()).filter(p -> p.label.equals(label)).findFirst();
  }

  public static String labels() {
    return Arrays.stream(values()).map(MisfirePolicy::label).collect(Collectors.joining(", "));
  }
}
