package dev.fleetwarden.terraform;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs Terraform in a directory of Terraform configuration (JSON or HCL; CDKTF output is one such
 * directory), so the drift engine does not depend on how the configuration was written.
 */
public interface TerraformRunner {

  /** What a plan should compare. */
  enum PlanMode {
    /** Refresh only: changes made outside Terraform ({@code resource_drift}). */
    REFRESH_ONLY,
    /**
     * A normal plan: {@code resource_drift} and the changes needed to reach the configuration
     * ({@code resource_changes}).
     */
    NORMAL
  }

  /** One change a plan would make, as its machine-readable output announces it. */
  record PlannedChange(String address, String action) {}

  /**
   * What a plan run reported: whether Terraform saw changes (exit code 2 of {@code
   * -detailed-exitcode}) and, when the runner reads Terraform's machine-readable output, the
   * changes it would make ({@code null} when the runner cannot tell).
   */
  record PlanOutcome(boolean changes, List<PlannedChange> planned) {
    public PlanOutcome {
      planned = planned == null ? null : List.copyOf(planned);
    }
  }

  /**
   * Prepares the directory (backend, providers). Idempotent; may skip the work when the directory
   * is already prepared for the same configuration.
   */
  void init(Path dir) throws TerraformException;

  /**
   * Writes a plan to {@code planFile}. Callers judge drift from the saved plan and never from
   * {@link PlanOutcome#changes()} alone (a refresh-only plan reports changes even when nothing
   * drifted, hashicorp/terraform#36403).
   */
  PlanOutcome plan(Path dir, PlanMode mode, Path planFile) throws TerraformException;

  /** The machine-readable form of a saved plan: {@code terraform show -json <planFile>}. */
  String showJson(Path dir, Path planFile) throws TerraformException;

  /**
   * Writes the schemas of the directory's providers ({@code terraform providers schema -json}) to
   * {@code out}. Returns false when this runner cannot produce them; the caller then reads every
   * saved plan through {@link #showJson}.
   */
  default boolean providerSchemas(Path dir, Path out) throws TerraformException {
    return false;
  }

  /** Applies the configuration without asking. */
  void apply(Path dir) throws TerraformException;
}
