package dev.fleetwarden.fleet;

import dev.fleetwarden.model.IgnoreRule;
import java.util.List;
import java.util.Map;

/**
 * An add-on ({@code addons/<name>/addon.yaml}): the namespace its objects go to, its source, its
 * default Helm values, which clusters run it ({@code clusterSelector}, matched against cluster
 * labels plus the implicit labels {@code environment}, {@code role} and {@code cluster}), the team
 * that owns it, drift ignore rules and remediation policy (null: not set here).
 */
public record AddonSpec(
    String name,
    String file,
    String owner,
    String namespace,
    AddonSource source,
    Values values,
    Map<String, String> clusterSelector,
    List<IgnoreRule> ignore,
    Remediation remediation) {
  public AddonSpec {
    clusterSelector = clusterSelector == null ? null : Map.copyOf(clusterSelector);
    ignore = ignore == null ? List.of() : List.copyOf(ignore);
  }

  /** Repo-relative directory of this add-on. */
  public String directory() {
    return "addons/" + name;
  }
}
