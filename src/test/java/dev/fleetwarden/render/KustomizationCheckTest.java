package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks made on kustomizations before they are built, without running kustomize. */
class KustomizationCheckTest {
  @TempDir Path repo;

  @Test
  void remoteAndAbsoluteReferencesAreRecognised() {
    assertThat(KustomizationCheck.refusal("https://example.com/x.yaml")).isEqualTo("is a URL");
    assertThat(KustomizationCheck.refusal("HTTP://example.com/x.yaml")).isEqualTo("is a URL");
    assertThat(KustomizationCheck.refusal("ssh://git@example.com/repo.git")).isEqualTo("is a URL");
    assertThat(KustomizationCheck.refusal("file:///etc/passwd")).isEqualTo("is a URL");
    assertThat(KustomizationCheck.refusal("git::https://example.com/repo.git"))
        .isEqualTo("is a Git remote");
    assertThat(KustomizationCheck.refusal("github.com/org/repo//path?ref=v1"))
        .isEqualTo("is a Git remote");
    assertThat(KustomizationCheck.refusal("git@github.com:org/repo.git"))
        .isEqualTo("is a Git remote");
    assertThat(KustomizationCheck.refusal("org-123@github.com:org/repo"))
        .isEqualTo("is a Git remote");
    assertThat(KustomizationCheck.refusal("gh:org/repo")).isEqualTo("is a Git remote");
    assertThat(KustomizationCheck.refusal("github.com/org/repo/path")).isEqualTo("is a Git remote");
    assertThat(KustomizationCheck.refusal("GitLab.com/org/repo")).isEqualTo("is a Git remote");
    assertThat(KustomizationCheck.refusal("example.com/org/repo//path?ref=v1"))
        .contains("query string");
    assertThat(KustomizationCheck.refusal("example.com/org/repo//path")).contains("repo//path");
    assertThat(KustomizationCheck.refusal("/etc/passwd")).isEqualTo("is an absolute path");
    assertThat(KustomizationCheck.refusal("~/secrets")).isEqualTo("is a home-directory path");
    assertThat(KustomizationCheck.refusal("C:\\x")).contains("drive letter");
    assertThat(KustomizationCheck.refusal("base")).isNull();
    assertThat(KustomizationCheck.refusal("../../shared/base")).isNull();
    assertThat(KustomizationCheck.refusal("patches/deployment.yaml")).isNull();
  }

  @Test
  void credentialsInAUrlAreNotRepeated() {
    assertThat(KustomizationCheck.shown("https://user:s3cret@example.com/x"))
        .isEqualTo("https://***@example.com/x")
        .doesNotContain("s3cret");
    assertThat(KustomizationCheck.shown("a\nb")).isEqualTo("a?b");
    assertThat(KustomizationCheck.shown("x".repeat(500))).hasSize(203);
  }

  private void write(String rel, String content) throws IOException {
    Path p = repo.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private RenderException refused(String dir) {
    RenderException e =
        catchThrowableOfType(
            () -> KustomizationCheck.check(repo, dir, "web"), RenderException.class);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.addon()).isEqualTo("web");
    return e;
  }

  @Test
  void theDirectoriesOfEveryKustomizationReadAreReturned() throws Exception {
    write(
        "addons/web/base/kustomization.yaml",
        "resources:\n  - cm.yaml\n  - ../../../shared/base\ncomponents:\n  - ../comp\n");
    write("addons/web/base/cm.yaml", "kind: ConfigMap\n");
    write("addons/web/comp/kustomization.yaml", "kind: Component\n");
    write("shared/base/Kustomization", "resources:\n  - ../../addons/web/base\n");
    assertThat(KustomizationCheck.check(repo, "addons/web/base", "web"))
        .containsExactly("addons/web/base", "addons/web/comp", "shared/base");
  }

  @Test
  void aMissingReferenceIsRefusedBecauseKustomizeWouldFetchIt() throws IOException {
    write("addons/web/base/kustomization.yaml", "resources:\n  - example.org/team/configs\n");
    RenderException e = refused("addons/web/base");
    assertThat(e.file()).isEqualTo("addons/web/base/kustomization.yaml");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("is not in the fleet repo").contains("vendor");
  }

  @Test
  void aDirectoryWithoutAKustomizationIsRefusedAtItsReference() throws IOException {
    write("addons/web/base/kustomization.yaml", "bases:\n  - ../plain\n");
    write("addons/web/plain/cm.yaml", "kind: ConfigMap\n");
    RenderException e = refused("addons/web/base");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("without a kustomization");
  }

  @Test
  void theStartDirectoryMustHoldAKustomization() throws IOException {
    write("addons/web/base/cm.yaml", "kind: ConfigMap\n");
    RenderException e = refused("addons/web/base");
    assertThat(e.file()).isEqualTo("addons/web/base/kustomization.yaml");
    assertThat(e.getMessage()).contains("no kustomization.yaml");
  }

  @Test
  void anInlineHelmGeneratorOrKrmFunctionIsRefusedAtItsEntry() throws IOException {
    write(
        "addons/web/base/kustomization.yaml",
        "generators:\n  - |-\n    apiVersion: builtin\n    kind: HelmChartInflationGenerator\n"
            + "    metadata: {name: x}\n");
    RenderException e = refused("addons/web/base");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("Helm");

    write("addons/web/base/kustomization.yaml", "transformers:\n  - fn.yaml\n");
    write(
        "addons/web/base/fn.yaml",
        "apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: f\n  annotations:\n"
            + "    config.kubernetes.io/function: |\n      container: {image: evil}\n");
    e = refused("addons/web/base");
    assertThat(e.file()).isEqualTo("addons/web/base/fn.yaml");
    assertThat(e.getMessage()).contains("KRM functions");
  }

  @Test
  void pluginConfigsInADirectoryNamedByTransformersAreChecked() throws IOException {
    write("addons/web/base/kustomization.yaml", "transformers:\n  - ../transformers\n");
    write("addons/web/transformers/kustomization.yaml", "resources:\n  - patch.yaml\n");
    write(
        "addons/web/transformers/patch.yaml",
        "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\n"
            + "path: https://example.com/p.yaml\n");
    RenderException e = refused("addons/web/base");
    assertThat(e.file()).isEqualTo("addons/web/transformers/patch.yaml");
    assertThat(e.line()).isEqualTo(5);
  }

  @Test
  void inlinePatchesAndLiteralsAreNotPaths() throws Exception {
    write(
        "addons/web/base/kustomization.yaml",
        "resources:\n  - cm.yaml\npatchesStrategicMerge:\n  - |-\n    kind: ConfigMap\n"
            + "    metadata: {name: c}\npatches:\n  - patch: |-\n      - op: add\n"
            + "configMapGenerator:\n  - name: g\n    literals:\n      - url=https://example.com\n");
    write("addons/web/base/cm.yaml", "kind: ConfigMap\n");
    assertThat(KustomizationCheck.check(repo, "addons/web/base", "web"))
        .containsExactly("addons/web/base");
  }

  @Test
  void invalidYamlIsReportedWithItsLine() throws IOException {
    write("addons/web/base/kustomization.yaml", "resources:\n  - a\n  - *alias\n");
    RenderException e = refused("addons/web/base");
    assertThat(e.file()).isEqualTo("addons/web/base/kustomization.yaml");
    assertThat(e.line()).isEqualTo(3);
  }
}
