package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Helm process with real helm-java: Helm's errors, a template that never ends, a restart. */
class HelmWorkerIT {
  @TempDir Path tmp;

  private Path chart(String name, String template) throws Exception {
    Path dir = tmp.resolve(name);
    RenderFixtures.write(
        dir.resolve("Chart.yaml"), "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n");
    RenderFixtures.write(dir.resolve("templates/cm.yaml"), template);
    return dir;
  }

  private Path values() throws Exception {
    return Files.writeString(tmp.resolve("values.json"), "{\"who\":\"fleet\"}");
  }

  private static List<ProcessHandle> helmProcesses() {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info()
                    .commandLine()
                    // the class name may be cut off the end of a long command line
                    .map(c -> c.contains("-Djava.io.tmpdir=") && c.contains("fleetwarden-helm-"))
                    .orElse(false))
        .toList();
  }

  @Test
  void aTemplateThatNeverEndsStopsTheHelmProcessAndTheNextRenderStartsAFreshOne() throws Exception {
    Path quick =
        chart("quick", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.who }}\n");
    Path endless =
        chart("endless", "{{- range until 50000 }}{{- range until 50000 }}{{- end }}{{- end }}\n");
    HelmJavaEngine engine = new HelmJavaEngine(Duration.ofMinutes(2));
    assertThat(engine.template(quick, values(), "r", "ns", "1.30.0")).contains("name: fleet");
    ProcessHandle.current()
        .children()
        .forEach(c -> System.out.println("CHILD " + c.pid() + " " + c.info()));
    List<ProcessHandle> before = helmProcesses();
    assertThat(before).hasSize(1);

    HelmJavaEngine impatient = new HelmJavaEngine(Duration.ofSeconds(3));
    assertThatThrownBy(() -> impatient.template(endless, values(), "r", "ns", "1.30.0"))
        .isInstanceOf(HelmEngine.HelmException.class)
        .hasMessageContaining("did not finish within 3 s and the Helm process was stopped");
    before.get(0).onExit().get();

    assertThat(engine.template(quick, values(), "r", "ns", "1.30.0")).contains("name: fleet");
    assertThat(helmProcesses()).hasSize(1).doesNotContain(before.get(0));
  }

  @Test
  void helmsOwnErrorsComeBackUnchanged() throws Exception {
    Path broken = chart("broken", "{{ .Values.missing.deeper }}\n");
    assertThatThrownBy(() -> new HelmJavaEngine().template(broken, values(), "r", "ns", "1.30.0"))
        .isInstanceOf(HelmEngine.HelmException.class)
        .hasMessageContaining("broken/templates/cm.yaml")
        .hasMessageContaining("nil pointer evaluating interface {}.deeper");
  }
}
