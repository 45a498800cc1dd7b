package dev.fleetwarden.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a valid fleet holds that is probably a mistake, but must not stop the service from following
 * it: {@code validate} prints these as warnings ({@code --strict} makes them errors).
 */
public final class FleetWarnings {
  private FleetWarnings() {}

  /**
   * Values files for add-ons their cluster does not run: ignored by the render, so the author
   * probably meant something else (a typo in the add-on's name, or an add-on disabled by mistake).
   * Keeping the values of a temporarily disabled add-on is legitimate, hence a warning.
   */
  public static List<FleetError> of(Fleet fleet) {
    List<FleetError> warnings = new ArrayList<>();
    for (ClusterSpec cluster : fleet.clusters().values()) {
      List<String> running = fleet.addonsOf(cluster).stream().map(AddonSpec::name).toList();
      for (Map.Entry<String, Values> e : cluster.sortedValuesFiles().entrySet()) {
        if (!running.contains(e.getKey())) {
          warnings.add(
              new FleetError(
                  e.getValue().file(),
                  1,
                  1,
                  "values file for add-on '"
                      + e.getKey()
                      + "', which cluster "
                      + cluster.name()
                      + " does not run (disabled, or not selected by the add-on's"
                      + " clusterSelector): it is ignored; enable the add-on for this cluster or"
                      + " delete the file"));
        }
      }
    }
    return warnings;
  }
}
