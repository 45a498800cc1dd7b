package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kustomizations that point at the network, at Helm or outside the fleet repo, built with the real
 * {@code kustomize}/{@code kubectl kustomize} from PATH next to a local HTTP server that counts
 * requests: each must fail before the tool runs, naming the kustomization file and line, and the
 * server must see no request. The server answers every request with a valid manifest so that a
 * build that does reach it succeeds.
 */
class KustomizeNetworkIT {
  private static final String ADDON = "web";
  private static final String BASE = "addons/web/base";
  private static final String KUSTOMIZATION = BASE + "/kustomization.yaml";

  @TempDir Path tmp;
  private Path repo;
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private String origin;

  @BeforeAll
  static void needsKustomize() {
    Assumptions.assumeTrue(
        new KustomizeRenderer().command().isPresent(),
        "neither kustomize nor kubectl is on PATH: install one to run the Kustomize tests");
  }

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          byte[] body =
              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fetched\ndata:\n  k: v\n"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    origin = "http://127.0.0.1:" + server.getAddress().getPort();
    repo = tmp.resolve("fleet");
    write(
        BASE + "/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local\ndata: {}\n");
    write("addons/web/addon.yaml", "# add-on definition is not read by these tests\n");
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void write(String rel, String content) throws IOException {
    Path p = repo.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private List<RenderedDocument> render() throws RenderException {
    return new KustomizeRenderer().render(repo, BASE, "addons/web", ADDON, new ContentHashes(repo));
  }

  /** Renders, expects a refusal at file:line, and checks the server saw nothing. */
  private RenderException refused(String file, int line) {
    RenderException e = catchThrowableOfType(this::render, RenderException.class);
    assertThat(requests).as("requests the build sent to the local server").isEmpty();
    assertThat(e).as("the render must fail").isNotNull();
    assertThat(e.file() + ":" + e.line() + " " + e.getMessage())
        .startsWith(file + ":" + line + " ");
    assertThat(e.getMessage()).doesNotContain("\n");
    return e;
  }

  private static String kustomization(String body) {
    return "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n" + body;
  }

  @Test
  void aRemoteResourceUrlIsRefusedBeforeTheBuild() throws IOException {
    write(KUSTOMIZATION, kustomization("resources:\n  - cm.yaml\n  - " + origin + "/x.yaml\n"));
    RenderException e = refused(KUSTOMIZATION, 5);
    assertThat(e.getMessage()).contains("resources").contains("URL").contains("vendor");
  }

  @Test
  void aGitResourceIsRefusedBeforeTheBuild() throws IOException {
    write(KUSTOMIZATION, kustomization("resources:\n  - git::" + origin + "/repo.git\n"));
    assertThat(refused(KUSTOMIZATION, 4).getMessage()).contains("vendor");
    write(
        KUSTOMIZATION,
        kustomization("resources:\n  - cm.yaml\n  - " + origin + "/org/repo//path?ref=main\n"));
    refused(KUSTOMIZATION, 5);
    write(
        KUSTOMIZATION,
        kustomization("components:\n  - github.com/example/repo//component?ref=v1\n"));
    assertThat(refused(KUSTOMIZATION, 4).getMessage()).contains("Git");
  }

  @Test
  void aConfigMapGeneratorFileUrlIsRefusedBeforeTheBuild() throws IOException {
    write(
        KUSTOMIZATION,
        kustomization(
            "configMapGenerator:\n  - name: settings\n    files:\n      - local.txt\n      - key="
                + origin
                + "/f\n"));
    write(BASE + "/local.txt", "x");
    RenderException e = refused(KUSTOMIZATION, 7);
    assertThat(e.getMessage()).contains("configMapGenerator");
    write(
        KUSTOMIZATION,
        kustomization("secretGenerator:\n  - name: s\n    envs:\n      - " + origin + "/env\n"));
    refused(KUSTOMIZATION, 6);
  }

  @Test
  void aLocalBaseWithARemoteResourceIsRefusedAtTheBasesLine() throws IOException {
    write(KUSTOMIZATION, kustomization("resources:\n  - cm.yaml\n  - ../../../shared/base\n"));
    write(
        "shared/base/kustomization.yml",
        kustomization("resources:\n  - dep.yaml\ncomponents:\n  - ../component\n"));
    write(
        "shared/base/dep.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata: {}\n");
    write(
        "shared/component/Kustomization",
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: "
            + origin
            + "/patch.yaml\n");
    refused("shared/component/Kustomization", 4);
  }

  @Test
  void pathsEscapingTheFleetRepoAreRefused() throws IOException {
    // A kustomization outside the repo: kustomize would load it as a base (bases are exempt from
    // its load restrictor), which reads host files into the desired state.
    Path outside = tmp.resolve("outside");
    Files.createDirectories(outside);
    Files.writeString(
        outside.resolve("kustomization.yaml"), kustomization("resources:\n  - host.yaml\n"));
    Files.writeString(
        outside.resolve("host.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: host-file\ndata: {}\n");
    write(KUSTOMIZATION, kustomization("resources:\n  - ../../../../outside\n"));
    assertThat(refused(KUSTOMIZATION, 4).getMessage()).contains("outside the fleet repo");

    write(
        KUSTOMIZATION,
        kustomization(
            "configMapGenerator:\n  - name: p\n    files:\n      - ../../../../../../../../etc/passwd\n"));
    refused(KUSTOMIZATION, 6);

    write(KUSTOMIZATION, kustomization("resources:\n  - /etc/hostname\n"));
    assertThat(refused(KUSTOMIZATION, 4).getMessage()).contains("absolute");
  }

  @Test
  void helmChartInflationIsRefused() throws IOException {
    write(
        KUSTOMIZATION,
        kustomization(
            "resources:\n  - cm.yaml\nhelmCharts:\n  - name: app\n    repo: "
                + origin
                + "/charts\n    version: 1.0.0\n"));
    assertThat(refused(KUSTOMIZATION, 5).getMessage()).contains("helm");
  }

  @Test
  void aGeneratorPluginConfigWithARemoteFileIsRefused() throws IOException {
    write(KUSTOMIZATION, kustomization("generators:\n  - gen.yaml\n"));
    write(
        BASE + "/gen.yaml",
        "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: g\nfiles:\n  - "
            + origin
            + "/f\n");
    refused(BASE + "/gen.yaml", 6);
  }

  @Test
  void otherReferencingFieldsAreChecked() throws IOException {
    String[][] cases = {
      {"crds:\n  - " + origin + "/crd.json\n", "4"},
      {"configurations:\n  - " + origin + "/c.yaml\n", "4"},
      {"transformers:\n  - " + origin + "/t.yaml\n", "4"},
      {"validators:\n  - " + origin + "/v.yaml\n", "4"},
      {"patchesStrategicMerge:\n  - " + origin + "/p.yaml\n", "4"},
      {
        "patchesJson6902:\n  - target: {kind: ConfigMap, name: local}\n    path: "
            + origin
            + "/p.json\n",
        "5"
      },
      {"openapi:\n  path: " + origin + "/schema.json\n", "4"},
      {"replacements:\n  - path: " + origin + "/r.yaml\n", "4"},
      {"bases:\n  - " + origin + "/base\n", "4"},
    };
    for (String[] c : cases) {
      write(KUSTOMIZATION, kustomization("resources:\n  - cm.yaml\n" + c[0]));
      refused(KUSTOMIZATION, Integer.parseInt(c[1]) + 2);
    }
  }

  @Test
  void aLocalKustomizationWithASharedBaseStillBuilds() throws Exception {
    write(
        KUSTOMIZATION,
        kustomization(
            "resources:\n  - cm.yaml\n  - ../../../shared/base\nconfigMapGenerator:\n"
                + "  - name: gen\n    files:\n      - conf=settings.txt\n"));
    write(BASE + "/settings.txt", "a=b\n");
    write("shared/base/kustomization.yaml", kustomization("resources:\n  - dep.yaml\n"));
    write(
        "shared/base/dep.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata: {}\n");
    List<RenderedDocument> docs = render();
    assertThat(docs)
        .extracting(d -> d.manifest().at("/metadata/name").asText())
        .contains("local", "shared")
        .anyMatch(n -> n.startsWith("gen-"));
    assertThat(requests).isEmpty();
  }
}
