package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HelmOutputTest {
  @Test
  void documentsGetTheirTemplateAsRepoRelativeSource() throws Exception {
    String out =
        """
        ---
        # Source: ingress/templates/service.yaml
        apiVersion: v1
        kind: Service
        metadata:
          name: a
        ---
        # Source: ingress/charts/sub/templates/cm.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: b
        ---
        # Source: ingress/templates/empty.yaml
        """;
    var docs = HelmOutput.parse(out, "addons/ingress/chart", "ingress");
    assertThat(docs).hasSize(2);
    assertThat(docs.get(0).sourceFile()).isEqualTo("addons/ingress/chart/templates/service.yaml");
    assertThat(docs.get(1).sourceFile())
        .isEqualTo("addons/ingress/chart/charts/sub/templates/cm.yaml");
    assertThat(docs.get(1).manifest().path("metadata").path("name").asText()).isEqualTo("b");
  }

  @Test
  void invalidRenderedYamlNamesTheTemplate() {
    String out = "---\n# Source: ingress/templates/bad.yaml\nkind: [a\n";
    assertThatThrownBy(() -> HelmOutput.parse(out, "addons/ingress/chart", "ingress"))
        .isInstanceOf(RenderException.class)
        .satisfies(
            e ->
                assertThat(((RenderException) e).file())
                    .isEqualTo("addons/ingress/chart/templates/bad.yaml"));
  }

  @Test
  void helmErrorsAreMappedToTheTemplateFileAndLine() {
    RenderException e =
        HelmRenderer.templateError(
            "template: ingress/templates/deployment.yaml:12:20: executing \"ingress/templates/deployment.yaml\" at <.Values.x.y>: nil pointer",
            "addons/ingress/chart",
            "ingress",
            null);
    assertThat(e.file()).isEqualTo("addons/ingress/chart/templates/deployment.yaml");
    assertThat(e.line()).isEqualTo(12);
    assertThat(e.addon()).isEqualTo("ingress");
    assertThat(e.getMessage()).contains("nil pointer").contains("fix the template");

    RenderException parse =
        HelmRenderer.templateError(
            "parse error at (ingress/templates/svc.yaml:5): unexpected \"}\" in operand",
            "addons/ingress/chart",
            "ingress",
            null);
    assertThat(parse.file()).isEqualTo("addons/ingress/chart/templates/svc.yaml");
    assertThat(parse.line()).isEqualTo(5);

    RenderException yaml =
        HelmRenderer.templateError(
            "YAML parse error on ingress/templates/cm.yaml: error converting YAML to JSON: yaml:"
                + " line 4: mapping values are not allowed in this context\nUse --debug flag to"
                + " render out invalid YAML",
            "addons/ingress/chart",
            "ingress",
            null);
    assertThat(yaml.file()).isEqualTo("addons/ingress/chart/templates/cm.yaml");
    assertThat(yaml.getMessage())
        .contains("mapping values are not allowed")
        .doesNotContain("--debug")
        .doesNotContain("helm template");
  }
}
