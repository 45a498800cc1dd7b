package dev.fleetwarden.cdktf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerraformLiteralTest {

  @Test
  void expressionsAndDirectivesAreEscaped() {
    assertThat(TerraformLiteral.escape("${file(\"/etc/passwd\")}"))
        .isEqualTo("$${file(\"/etc/passwd\")}");
    assertThat(TerraformLiteral.escape("%{ if true }x%{ endif }"))
        .isEqualTo("%%{ if true }x%%{ endif }");
    assertThat(TerraformLiteral.escape("$${already}")).isEqualTo("$$${already}");
    assertThat(TerraformLiteral.escape("cost $5 {a} 100%")).isEqualTo("cost $5 {a} 100%");
  }

  @Test
  void literalIsTheTextAnEscapedTemplateStandsFor() {
    for (String text :
        List.of("${file(\"x\")}", "%{ if true }x%{ endif }", "$${a}", "$$", "%%{", "plain", "")) {
      assertThat(TerraformLiteral.literal(TerraformLiteral.escape(text))).isEqualTo(text);
    }
    assertThat(TerraformLiteral.literal("${aws_vpc.main.id}")).isNull();
    assertThat(TerraformLiteral.literal("a-%{ if x }y%{ endif }")).isNull();
    assertThat(TerraformLiteral.literal("$${x}")).isEqualTo("${x}");
  }

  @Test
  void stackInputsAreEscapedEverywhereTheyReachResources() {
    StackInputs in =
        new StackInputs(
            "c${x}",
            false,
            "e${x}",
            "r${x}",
            "v${x}",
            List.of("z${x}"),
            "k${x}",
            List.of(new StackInputs.NodeGroup("n${x}", "i${x}", 1, 2, 1)),
            List.of("a${x}"),
            Map.of("k%{x}", "v%{x}"));

    StackInputs out = TerraformLiteral.inputs(in);

    assertThat(out.toString()).doesNotContainPattern("(?<![$%])[$%]\\{");
    assertThat(out.tags()).containsExactly(Map.entry("k%%{x}", "v%%{x}"));
    assertThat(out.nodeGroups().get(0).instanceType()).isEqualTo("i$${x}");
  }

  @Test
  void subnetsAreCidrsubnetOfTheVpcRange() {
    // Values of terraform's own cidrsubnet(prefix, 4, n).
    assertThat(ClusterStack.subnetCidr("c", "10.20.0.0/16", 0)).isEqualTo("10.20.0.0/20");
    assertThat(ClusterStack.subnetCidr("c", "10.20.0.0/16", 2)).isEqualTo("10.20.32.0/20");
    assertThat(ClusterStack.subnetCidr("c", "10.1.2.0/24", 15)).isEqualTo("10.1.2.240/28");
    assertThat(ClusterStack.subnetCidr("c", "172.16.0.0/12", 2)).isEqualTo("172.18.0.0/16");
    assertThat(ClusterStack.subnetCidr("c", "10.20.1.0/16", 1)).isEqualTo("10.20.16.0/20");
    assertThatThrownBy(() -> ClusterStack.subnetCidr("c", "10.0.0.0/16\"), file(\"x", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster c")
        .hasMessageContaining("vpcCidr");
    assertThatThrownBy(() -> ClusterStack.subnetCidr("c", "10.0.0.0/30", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClusterStack.subnetCidr("c", "10.0.0.0/16", 16))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClusterStack.subnetCidr("c", "300.0.0.0/16", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
