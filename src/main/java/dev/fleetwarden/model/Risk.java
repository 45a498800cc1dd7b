package dev.fleetwarden.model;

/**
 * Why a drift is critical: the risk rule that matched it ({@code rule}, its id), the rule's reason
 * as people read it in alerts and reports, and the JSON pointer where it matched (in the object, or
 * in a Terraform resource's attributes; {@code ""} for the whole object, e.g. a NetworkPolicy
 * deleted). Risk is not part of a drift's identity: fingerprints ignore it.
 */
public record Risk(String rule, String reason, String path) {
  public Risk {
    path = path == null ? "" : path;
  }
}
