package dev.fleetwarden.schedule;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a schedule runs. Per-cluster tasks get one job per target cluster. */
public enum Task {
  /** Fetch the fleet repo and react to new commits (fleet-wide). */
  GIT_POLL("git-poll", false),
  /** Compare the rendered desired state with the live Kubernetes objects of one cluster. */
  KUBERNETES_DRIFT("kubernetes-drift", true),
  /** Run a refresh-only Terraform plan for one cluster's stack. */
  TERRAFORM_DRIFT("terraform-drift", true),
  /** Send the summary of open drift (fleet-wide). */
  DIGEST("digest", false);

  private final String label;
  private final boolean perCluster;

  Task(String label, boolean perCluster) {
    this.label = label;
    this.perCluster = perCluster;
  }

  public String label() {
    return label;
  }

  public boolean perCluster() {
    return perCluster;
  }

  public static Optional<Task> fromLabel(String label) {
    return Arrays.stream(values()).filter(t -> t.label.equals(label)).findFirst();
  }

  /** The accepted labels, for error messages. */
  public static String labels() {
    return Arrays.stream(values()).map(Task::label).collect(Collectors.joining(", "));
  }
}
