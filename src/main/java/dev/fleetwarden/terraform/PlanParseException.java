package dev.fleetwarden.terraform;

/** A {@code terraform show -json} output that cannot be read as a plan. */
public class PlanParseException extends Exception {
  private final String cluster;

  public PlanParseException(String cluster, String message) {
    super(
        "cannot read the Terraform plan of cluster "
            + cluster
            + ": "
            + message
            + " (check that the runner passes a plan file to `terraform show -json`)");
    this.cluster = cluster;
  }

  public String cluster() {
    return cluster;
  }
}
