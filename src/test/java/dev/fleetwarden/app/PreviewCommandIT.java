package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code preview} on real Git repositories: the example fleet committed as the base, one change
 * committed on top as the head, the real renderer on both sides.
 */
class PreviewCommandIT {
  @TempDir Path tmp;
  Path repo;
  Git git;
  String base;

  @BeforeEach
  void exampleFleetAsTheBase() throws Exception {
    repo = tmp.resolve("fleet");
    copy(Path.of("fleet-repo-example"), repo);
    git = Git.init().setInitialBranch("main").setDirectory(repo.toFile()).call();
    base = commit("the example fleet");
  }

  @AfterEach
  void close() {
    git.close();
  }

  @Test
  void aValuesChangeOfOneEnvironmentChangesOnlyTheClustersItReaches() throws Exception {
    edit("environments/prod.yaml", "replicas: 3", "replicas: 5");
    String head = commit("prod: five ingress controllers");

    CliIT.Run r = preview("-o", "json");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    JsonNode doc = r.json();
    assertThat(doc.path("base").asText()).isEqualTo(base);
    assertThat(doc.path("head").asText()).isEqualTo(head);
    assertThat(doc.path("valid").asBoolean()).isTrue();
    // prod-eu-1 sets its own replicas in its values file: only prod-us-1 changes.
    assertThat(doc.path("clusters").findValuesAsText("name")).containsExactly("prod-us-1");
    JsonNode objects = doc.at("/clusters/0/objects");
    assertThat(objects).hasSize(1);
    assertThat(objects.at("/0/resource").asText())
        .isEqualTo("prod-us-1/Deployment.apps/ingress-system/ingress-controller");
    assertThat(objects.at("/0/change").asText()).isEqualTo("modified");
    assertThat(objects.at("/0/fields/0/path").asText()).isEqualTo("/spec/replicas");
    assertThat(objects.at("/0/fields/0/before").asInt()).isEqualTo(3);
    assertThat(objects.at("/0/fields/0/after").asInt()).isEqualTo(5);
    assertThat(r.err()).contains("2 cluster(s) affected");

    CliIT.Run text = preview();
    assertThat(text.code()).isEqualTo(2);
    assertThat(text.out())
        .contains("1 cluster changes desired state (1 object)")
        .contains("prod-us-1\n")
        .contains("~ Deployment.apps/ingress-system/ingress-controller  modified")
        .contains("/spec/replicas: 3 → 5")
        .doesNotContain("prod-eu-1");
  }

  @Test
  void aChartUpgradeIsNamedWithTheObjectsItChanges() throws Exception {
    edit(
        "environments/prod.yaml",
        "    tier: critical\n",
        "    tier: critical\n  chartVersions:\n    event-exporter: 1.1.0\n");
    commit("prod: event-exporter chart 1.1.0");

    CliIT.Run r = preview("-o", "json");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    JsonNode doc = r.json();
    assertThat(doc.path("clusters").findValuesAsText("name"))
        .containsExactly("prod-eu-1", "prod-us-1");
    for (JsonNode cluster : doc.path("clusters")) {
      assertThat(cluster.path("note").asText())
          .as(cluster.path("name").asText())
          .contains(
              "chart event-exporter 1.0.0 → 1.1.0 (add-on event-exporter, from"
                  + " https://charts.example.org/platform)");
      assertThat(cluster.path("objects")).as("the upgrade's effect on the objects").isNotEmpty();
    }
    assertThat(preview().out()).contains("chart event-exporter 1.0.0 → 1.1.0");
  }

  @Test
  void aNewAddOnAddsItsObjectsToTheClustersItSelects() throws Exception {
    write(
        "addons/quotas/addon.yaml",
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Addon
        metadata:
          name: quotas
        spec:
          owner: team-platform
          namespace: team-search
          source:
            manifests: {path: manifests}
          clusterSelector: {environment: prod}
        """);
    write(
        "addons/quotas/manifests/quota.yaml",
        """
        apiVersion: v1
        kind: ResourceQuota
        metadata:
          name: compute
        spec:
          hard: {requests.cpu: "20", requests.memory: 64Gi}
        """);
    commit("add the quotas add-on");

    CliIT.Run r = preview("-o", "json", "-q");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).isEmpty();
    JsonNode doc = r.json();
    assertThat(doc.path("clusters").findValuesAsText("name"))
        .containsExactly("prod-eu-1", "prod-us-1");
    for (JsonNode c : doc.path("clusters")) {
      assertThat(c.path("objects")).hasSize(1);
      assertThat(c.at("/objects/0/resource").asText())
          .isEqualTo(c.path("name").asText() + "/ResourceQuota/team-search/compute");
      assertThat(c.at("/objects/0/change").asText()).isEqualTo("added");
      assertThat(c.at("/objects/0/fields")).isEmpty();
    }
  }

  @Test
  void aRemovedClusterLosesEveryObject() throws Exception {
    git.rm().addFilepattern("clusters/staging-1").call();
    commit("retire staging-1");

    CliIT.Run r = preview("-o", "json", "-q");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    JsonNode doc = r.json();
    assertThat(doc.path("clusters").findValuesAsText("name")).containsExactly("staging-1");
    JsonNode objects = doc.at("/clusters/0/objects");
    assertThat(objects.size()).isGreaterThan(10);
    assertThat(objects.findValuesAsText("change")).containsOnly("removed");
    assertThat(objects.findValuesAsText("resource"))
        .contains("staging-1/Deployment.apps/ingress-system/ingress-controller");
  }

  @Test
  void anInvalidHeadExitsOneWithEveryProblemAtItsFileLineAndColumn() throws Exception {
    edit("clusters/dev-1/cluster.yaml", "  role: workload", "  role: workload\n  replica: 3");
    commit("a typo");

    CliIT.Run json = preview("-o", "json", "-q");
    assertThat(json.code()).as(json.err()).isEqualTo(1);
    JsonNode doc = json.json();
    assertThat(doc.path("valid").asBoolean()).isFalse();
    assertThat(doc.path("clusters")).isEmpty();
    JsonNode error = doc.at("/errors/0");
    assertThat(error.path("file").asText()).isEqualTo("clusters/dev-1/cluster.yaml");
    int line = lineOf("clusters/dev-1/cluster.yaml", "replica: 3");
    assertThat(error.path("line").asInt()).isEqualTo(line);
    assertThat(error.path("column").asInt()).isEqualTo(3);
    assertThat(error.path("message").asText()).contains("replica");

    CliIT.Run text = preview("-q");
    assertThat(text.code()).isEqualTo(1);
    assertThat(text.out())
        .contains("the head is invalid: 1 problem")
        .contains("clusters/dev-1/cluster.yaml:" + line + ":3: ");
  }

  @Test
  void aTemplateThatFailsToRenderIsAnInvalidHeadAtItsFile() throws Exception {
    write("addons/ingress/chart/templates/broken.yaml", "{{ .Values.nope.deeper }}\n");
    commit("a broken template");

    CliIT.Run r = preview("-o", "json", "-q");
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    JsonNode doc = r.json();
    assertThat(doc.path("valid").asBoolean()).isFalse();
    assertThat(doc.path("errors").size()).isGreaterThan(1); // every cluster running ingress
    assertThat(doc.path("errors").findValuesAsText("message"))
        .allSatisfy(m -> assertThat(m).contains("add-on ingress"));
  }

  @Test
  void aChangeThatReachesNoClusterExitsZero() throws Exception {
    write("README.md", "# our fleet\n");
    commit("docs");
    CliIT.Run r = preview("-q");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("no cluster's desired state changes");
  }

  @Test
  void aChangeOfAnObjectSomeoneEditedLiveSaysWhoseChangeMergingReverts() throws Exception {
    Path dump =
        LiveDumps.of(
            tmp,
            "prod-eu-1",
            o -> {
              if (o.path("kind").asText().equals("Deployment")
                  && o.at("/metadata/name").asText().equals("ingress-controller")) {
                ObjectNode c = (ObjectNode) o.at("/spec/template/spec/containers/0");
                c.put("image", "registry.k8s.io/ingress-nginx/controller:v1.11.3-hotfix");
                ((ObjectNode) o.get("spec")).put("replicas", 6);
                managedFields(o);
              }
              return o;
            });
    // The head adopts the six replicas someone scaled to, and bumps the image tag.
    edit("clusters/prod-eu-1/values/ingress.yaml", "replicas: 4", "replicas: 6");
    commit("prod-eu-1: keep six ingress controllers");

    CliIT.Run r = preview("-o", "json", "-q", "--live-from", dump.toString(), "-c", "prod-eu-1");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    JsonNode c = r.json().at("/clusters/0");
    assertThat(c.path("name").asText()).isEqualTo("prod-eu-1");
    assertThat(c.path("overwritesDrift")).hasSize(1);
    JsonNode o = c.at("/overwritesDrift/0");
    assertThat(o.path("resource").asText())
        .isEqualTo("prod-eu-1/Deployment.apps/ingress-system/ingress-controller");
    assertThat(o.path("path").asText())
        .isEqualTo("/spec/template/spec/containers/name=controller/image");
    assertThat(o.path("desired").asText()).endsWith(":v1.11.2");
    assertThat(o.path("live").asText()).endsWith(":v1.11.3-hotfix");
    assertThat(o.path("manager").asText()).isEqualTo("kubectl-edit");
    assertThat(o.path("time").asText()).isEqualTo("2026-11-23T02:14:09Z");
    assertThat(c.path("resolvesDrift")).hasSize(1);
    assertThat(c.at("/resolvesDrift/0/path").asText()).isEqualTo("/spec/replicas");

    CliIT.Run text = preview("-q", "--live-from", dump.toString(), "-c", "prod-eu-1");
    assertThat(text.out())
        .contains("overwrites live drift:")
        .contains("merging this reverts kubectl-edit's change of 2026-11-23 02:14 UTC")
        .contains("resolves live drift");
    CliIT.Run md =
        preview("-q", "-o", "markdown", "--live-from", dump.toString(), "-c", "prod-eu-1");
    assertThat(md.out())
        .contains("**Merging this overwrites live changes:**")
        .contains("merging this reverts kubectl-edit's change of 2026-11-23 02:14 UTC");
  }

  @Test
  void aClusterWithoutADumpHasUnknownLiveState() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("no-dumps"));
    edit("environments/prod.yaml", "replicas: 3", "replicas: 5");
    commit("prod: five ingress controllers");
    CliIT.Run r = preview("-q", "--live-from", empty.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("prod-us-1  (live state unknown: no dump for this cluster");
  }

  @Test
  void withTerraformTheSynthesizedConfigurationChangeIsShownByResourceAndAttribute()
      throws Exception {
    edit(
        "clusters/staging-1/cluster.yaml",
        "minSize: 2, maxSize: 4, desiredSize: 2",
        "minSize: 2, maxSize: 4, desiredSize: 3");
    commit("staging-1: three nodes");
    CliIT.Run r = preview("-o", "json", "-q", "--terraform");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    JsonNode c = r.json().at("/clusters/0");
    assertThat(c.path("name").asText()).isEqualTo("staging-1");
    assertThat(c.path("objects")).isEmpty();
    assertThat(c.path("terraform")).hasSize(1);
    assertThat(c.at("/terraform/0/resource").asText())
        .isEqualTo("staging-1/terraform/aws_eks_node_group.general");
    assertThat(c.at("/terraform/0/fields/0/path").asText())
        .isEqualTo("/scaling_config/desired_size");
    assertThat(c.at("/terraform/0/fields/0/before").asInt()).isEqualTo(2);
    assertThat(c.at("/terraform/0/fields/0/after").asInt()).isEqualTo(3);
  }

  @Test
  void aRepoThatIsNotGitOrAnUnknownRevisionIsAnErrorThatSaysWhy() throws Exception {
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    CliIT.Run notGit = CliIT.run("preview", "--repo", plain.toString(), "--base", "main");
    assertThat(notGit.code()).isEqualTo(1);
    assertThat(notGit.err()).contains("not in a Git repository");
    CliIT.Run unknown = CliIT.run("preview", "--repo", repo.toString(), "--base", "nope");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("unknown revision 'nope'");
    CliIT.Run cluster =
        CliIT.run("preview", "--repo", repo.toString(), "--base", "main", "-c", "nope");
    assertThat(cluster.code()).isEqualTo(1);
    assertThat(cluster.err()).contains("unknown cluster(s) [nope]");
  }

  /** kubectl edit's entry, as a real API server writes it, for the container image. */
  private static void managedFields(ObjectNode o) {
    ArrayNode mf = ((ObjectNode) o.get("metadata")).putArray("managedFields");
    ObjectNode edit = mf.addObject();
    edit.put("manager", "kubectl-edit");
    edit.put("operation", "Update");
    edit.put("apiVersion", "apps/v1");
    edit.put("time", "2026-11-23T02:14:09Z");
    edit.put("fieldsType", "FieldsV1");
    edit.putObject("fieldsV1")
        .putObject("f:spec")
        .putObject("f:template")
        .putObject("f:spec")
        .putObject("f:containers")
        .putObject("k:{\"name\":\"controller\"}")
        .putObject("f:image");
    ObjectNode scale = mf.addObject();
    scale.put("manager", "kubectl");
    scale.put("operation", "Update");
    scale.put("apiVersion", "apps/v1");
    scale.put("time", "2026-11-23T03:00:00Z");
    scale.put("fieldsType", "FieldsV1");
    scale.putObject("fieldsV1").putObject("f:spec").putObject("f:replicas");
  }

  private CliIT.Run preview(String... args) {
    List<String> all =
        new ArrayList<>(List.of("preview", "--repo", repo.toString(), "--base", base));
    all.addAll(List.of(args));
    return CliIT.run(all.toArray(String[]::new));
  }

  private String commit(String message) throws Exception {
    git.add().addFilepattern(".").call();
    PersonIdent me = new PersonIdent("Pat Platform", "pat@example.org");
    return git.commit()
        .setMessage(message)
        .setAuthor(me)
        .setCommitter(me)
        .setSign(false)
        .setAll(true)
        .call()
        .name();
  }

  private void edit(String file, String from, String to) throws IOException {
    Path p = repo.resolve(file);
    String text = Files.readString(p);
    assertThat(text).as(file).contains(from);
    Files.writeString(p, text.replaceFirst(java.util.regex.Pattern.quote(from), to));
  }

  private void write(String file, String text) throws IOException {
    Path p = repo.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private int lineOf(String file, String text) throws IOException {
    List<String> lines = Files.readAllLines(repo.resolve(file));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + file);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
