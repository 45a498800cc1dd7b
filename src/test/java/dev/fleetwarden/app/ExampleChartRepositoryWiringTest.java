package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.demo.ExampleChartRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When fleetwarden serves and allows the example fleet's chart repository by itself ({@code
 * helm.exampleRepository: auto}): on the embedded defaults, with or without a config file, and
 * never once the operator lists repositories of their own or connects real clusters.
 */
class ExampleChartRepositoryWiringTest {
  @TempDir Path tmp;

  private Wiring wiring(String configYaml, Map<String, String> env) throws Exception {
    Config config =
        configYaml == null
            ? Config.defaults(env)
            : Config.fromFile(
                Files.writeString(
                    tmp.resolve("config.yaml"),
                    "workDir: " + tmp.resolve("work") + "\n" + configYaml),
                env);
    return new Wiring(config, env, Clock.systemUTC());
  }

  private static boolean allowsExample(Wiring w) {
    return w.chartAllowList().allows(ExampleChartRepository.URL + "/index.yaml");
  }

  @Test
  void servedWithoutAConfigFileAndWithEmbeddedClustersInOne() throws Exception {
    assertThat(wiring(null, Map.of()).exampleChartRepository()).isTrue();
    Wiring embedded = wiring("kube:\n  embedded: true\n", Map.of());
    assertThat(embedded.exampleChartRepository()).isTrue();
    assertThat(allowsExample(embedded)).isTrue();
  }

  @Test
  void notServedForRealClustersOrOnceTheOperatorAllowsRepositories() throws Exception {
    Wiring real = wiring("kube:\n  embedded: false\n", Map.of());
    assertThat(real.exampleChartRepository()).isFalse();
    assertThat(allowsExample(real)).isFalse();
    assertThat(
            wiring(
                    "kube:\n  embedded: true\n",
                    Map.of(
                        "FLEETWARDEN_HELM_ALLOWED_REPOSITORIES", "https://charts.other.example/"))
                .exampleChartRepository())
        .isFalse();
    assertThat(
            wiring("kube:\n  embedded: false\nhelm:\n  exampleRepository: true\n", Map.of())
                .exampleChartRepository())
        .isTrue();
  }
}
