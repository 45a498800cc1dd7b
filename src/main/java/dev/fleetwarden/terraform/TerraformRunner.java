package dev.fleetwarden.terraform;

import java.nio.file.Path;

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

  /**
   * Prepares the directory (backend, providers). Idempotent; may skip the work when the directory
   * is already prepared for the same configuration.
   */
  void init(Path dir) throws TerraformException;

  /**
   * Writes a plan to {@code planFile}. Returns whether Terraform reported changes (exit code 2 of
   * {@code -detailed-exitcode}); callers judge drift from {@link #showJson} and never from this
   * flag alone (a refresh-only plan reports changes even when nothing drifted).
   */
  boolean plan(Path dir, PlanMode mode, Path planFile) throws TerraformException;

  /** The machine-readable form of a saved plan: {@code terraform show -json <planFile>}. */
  String showJson(Path dir, Path planFile) throws TerraformException;

  /** Applies the configuration without asking. */
  void apply(Path dir) throws TerraformException;
}
