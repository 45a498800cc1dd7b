package dev.fleetwarden.preview;

import static dev.fleetwarden.preview.PreviewFixtures.N;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DriftEffectTest {
  private static final ResourceId WEB = ResourceId.parse("prod/Deployment.apps/shop/web");
  private static final ResourceId API = ResourceId.parse("prod/Deployment.apps/shop/api");
  private static final ResourceId DENY =
      ResourceId.parse("prod/NetworkPolicy.networking.k8s.io/shop/deny");
  private static final Instant AT = Instant.parse("2026-11-23T02:14:09Z");

  private static ObjectDrift modified(ResourceId id, FieldDrift... fields) {
    return new ObjectDrift(
        id, "demo", DriftSource.KUBERNETES, DriftType.MODIFIED, null, List.of(fields));
  }

  private static FieldDrift image(String desired, String live, String manager) {
    return new FieldDrift(
            "/spec/template/spec/containers/0/image", N.textNode(desired), N.textNode(live))
        .withManager(manager, manager == null ? null : AT);
  }

  private static FieldDrift replicas(int desired, int live) {
    return new FieldDrift("/spec/replicas", N.numberNode(desired), N.numberNode(live))
        .withManager("kubectl", AT);
  }

  @Test
  void driftStillThereUnderTheHeadOfATouchedObjectIsOverwrittenWithWhoAndWhen() {
    DriftEffect.Effect e =
        DriftEffect.of(
            Set.of(WEB),
            Set.of(WEB, API),
            List.of(modified(WEB, image("web:1", "web:1-hotfix", "kubectl-edit"))),
            List.of(modified(WEB, image("web:2", "web:1-hotfix", null))));
    assertThat(e.resolutions()).isEmpty();
    assertThat(e.overwrites()).hasSize(1);
    DriftOverwrite o = e.overwrites().get(0);
    assertThat(o.resource()).isEqualTo(WEB);
    assertThat(o.path()).isEqualTo("/spec/template/spec/containers/0/image");
    assertThat(o.desired().asText()).isEqualTo("web:2");
    assertThat(o.live().asText()).isEqualTo("web:1-hotfix");
    assertThat(o.manager()).isEqualTo("kubectl-edit");
    assertThat(o.time()).isEqualTo(AT);
  }

  @Test
  void driftOfAnObjectTheChangeLeavesAloneIsNotOverwritten() {
    DriftEffect.Effect e =
        DriftEffect.of(
            Set.of(WEB),
            Set.of(WEB, API),
            List.of(modified(API, replicas(2, 5))),
            List.of(modified(API, replicas(2, 5))));
    assertThat(e.overwrites()).isEmpty();
    assertThat(e.resolutions()).isEmpty();
  }

  @Test
  void aHeadThatSetsTheLiveValueAdoptsTheDrift() {
    DriftEffect.Effect e =
        DriftEffect.of(
            Set.of(WEB),
            Set.of(WEB),
            List.of(modified(WEB, replicas(2, 5), image("web:1", "web:1-hotfix", "kubectl-edit"))),
            List.of(modified(WEB, image("web:1", "web:1-hotfix", "kubectl-edit"))));
    assertThat(e.resolutions()).containsExactly(new DriftResolution(WEB, "/spec/replicas"));
    assertThat(e.overwrites())
        .extracting(DriftOverwrite::path)
        .containsExactly("/spec/template/spec/containers/0/image");
  }

  @Test
  void aMissingObjectTheHeadRemovesIsAdoptedAndAnOrphanTheHeadWantsAsLiveToo() {
    ResourceId orphan = ResourceId.parse("prod/ConfigMap/shop/left");
    ObjectDrift missing =
        new ObjectDrift(DENY, "demo", DriftSource.KUBERNETES, DriftType.MISSING, null, List.of());
    ObjectDrift left =
        new ObjectDrift(orphan, "demo", DriftSource.KUBERNETES, DriftType.ORPHAN, null, List.of());
    DriftEffect.Effect e =
        DriftEffect.of(Set.of(orphan), Set.of(WEB, orphan), List.of(missing, left), List.of());
    assertThat(e.resolutions())
        .containsExactly(new DriftResolution(DENY, ""), new DriftResolution(orphan, ""));
  }

  @Test
  void driftOfAnObjectTheHeadRemovesIsNeitherOverwrittenNorAdopted() {
    DriftEffect.Effect e =
        DriftEffect.of(
            Set.of(),
            Set.of(API),
            List.of(modified(WEB, replicas(2, 5))),
            List.of(
                new ObjectDrift(
                    WEB, "demo", DriftSource.KUBERNETES, DriftType.ORPHAN, null, List.of())));
    assertThat(e.overwrites()).isEmpty();
    assertThat(e.resolutions()).isEmpty();
  }

  @Test
  void aFieldWhosePathMovedIsFoundByItsLiveValueAndManager() {
    FieldDrift moved =
        new FieldDrift(
                "/spec/template/spec/containers/1/image",
                N.textNode("web:2"),
                N.textNode("web:1-hotfix"))
            .withManager("kubectl-edit", AT);
    DriftEffect.Effect e =
        DriftEffect.of(
            Set.of(WEB),
            Set.of(WEB),
            List.of(modified(WEB, image("web:1", "web:1-hotfix", "kubectl-edit"))),
            List.of(modified(WEB, moved)));
    assertThat(e.resolutions()).isEmpty();
    assertThat(e.overwrites())
        .extracting(DriftOverwrite::path)
        .containsExactly("/spec/template/spec/containers/1/image");
  }

  @Test
  void terraformDriftIsNotConsidered() {
    ObjectDrift tf =
        new ObjectDrift(
            ResourceId.terraform("prod", "aws_vpc.main"),
            null,
            DriftSource.TERRAFORM,
            DriftType.MODIFIED,
            null,
            List.of(new FieldDrift("/tags/team", N.textNode("a"), N.textNode("b"))));
    DriftEffect.Effect e = DriftEffect.of(Set.of(tf.resource()), Set.of(), List.of(tf), List.of());
    assertThat(e.overwrites()).isEmpty();
    assertThat(e.resolutions()).isEmpty();
  }
}
