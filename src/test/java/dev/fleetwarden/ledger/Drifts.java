package dev.fleetwarden.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.time.Instant;
import java.util.List;

/** Small drift fixtures for ledger and store tests. */
public final class Drifts {
  private static final JsonNodeFactory N = JsonNodeFactory.instance;

  private Drifts() {}

  public static ObjectDrift replicas(String cluster, String name, int desired, int live) {
    return new ObjectDrift(
        new ResourceId(cluster, "apps", "Deployment", "ingress", name),
        "ingress",
        DriftSource.KUBERNETES,
        DriftType.MODIFIED,
        "addons/ingress/addon.yaml",
        List.of(
            new FieldDrift("/spec/replicas", N.numberNode(desired), N.numberNode(live))
                .withManager("kubectl-edit", Instant.parse("2025-01-02T03:04:05Z"))));
  }

  /** A missing object; {@code kind} as ids print it ({@code NetworkPolicy.networking.k8s.io}). */
  public static ObjectDrift missing(String cluster, String kind, String ns, String name) {
    return new ObjectDrift(
        ResourceId.parse(cluster + "/" + kind + "/" + ns + "/" + name),
        "policies",
        DriftSource.KUBERNETES,
        DriftType.MISSING,
        "addons/policies/deny.yaml",
        List.of());
  }

  public static ObjectDrift bucket(String cluster, String address, String live) {
    return new ObjectDrift(
        ResourceId.terraform(cluster, address),
        null,
        DriftSource.TERRAFORM,
        DriftType.MODIFIED,
        "clusters/" + cluster + "/cluster.yaml",
        List.of(new FieldDrift("/tags/owner", N.textNode("platform"), N.textNode(live))));
  }
}
