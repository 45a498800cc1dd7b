package dev.fleetwarden.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.fleet.Connection;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kubeconfigs that would act on fleetwarden's host (an {@code exec} plugin, an {@code
 * auth-provider}, local file references), given as the configured kubeconfig file and inside a
 * kubeconfig Secret of the management cluster, against real Fabric8 parsing and mock API servers;
 * and the kubeconfig Secret allow-list.
 */
class KubeconfigTrustIT {
  private static final String NAMESPACE = "fleet-system";

  @TempDir Path dir;
  private EmbeddedFleet fleet;
  private Path marker;

  @BeforeEach
  void start() {
    fleet = EmbeddedFleet.builder(dir.resolve("kube/config")).cluster("mgmt").cluster("w1").start();
    marker = dir.resolve("exec-ran");
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  /** What the workload cluster's kubeconfig user (or cluster) carries besides the server. */
  enum Variant {
    EXEC("exec", "user"),
    AUTH_PROVIDER("auth-provider", "user"),
    TOKEN_FILE("tokenFile", "user"),
    CLIENT_KEY("client-key", "user"),
    CERTIFICATE_AUTHORITY("certificate-authority", "cluster");

    final String key;
    final String section;

    Variant(String key, String section) {
      this.key = key;
      this.section = section;
    }
  }

  /** Where the kubeconfig comes from. */
  enum Source {
    FILE,
    SECRET
  }

  private String kubeconfig(Variant variant) {
    String user =
        switch (variant) {
          case EXEC ->
              "exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: sh, args: [-c,"
                  + " \"touch "
                  + marker
                  + "\"]}";
          case AUTH_PROVIDER ->
              "auth-provider: {name: oidc, config: {idp-issuer-url: 'http://127.0.0.1:9/',"
                  + " client-id: x, refresh-token: r}}";
          case TOKEN_FILE -> "tokenFile: /etc/passwd";
          case CLIENT_KEY -> "client-key: /etc/ssl/private/host.key";
          case CERTIFICATE_AUTHORITY -> "token: inline-token";
        };
    String cluster =
        "server: "
            + fleet.serverUrl("w1")
            + (variant == Variant.CERTIFICATE_AUTHORITY
                ? ", certificate-authority: /etc/passwd"
                : "");
    return """
        apiVersion: v1
        kind: Config
        current-context: w1
        clusters:
          - name: w1
            cluster: {%s}
        users:
          - name: w1-user
            user: %s
        contexts:
          - name: w1
            context: {cluster: w1, user: w1-user}
        """
        .formatted(cluster, user.startsWith("{") ? user : "{" + user + "}");
  }

  private Connection connect(Source source, Variant variant) throws Exception {
    String text = kubeconfig(variant);
    if (source == Source.FILE) {
      Files.writeString(dir.resolve("workload-kubeconfig"), text);
      return Connection.context("w1");
    }
    storeSecret("w1-kubeconfig", text, Map.of());
    return new Connection(
        Connection.Type.KUBECONFIG_SECRET, null, NAMESPACE, "w1-kubeconfig", null);
  }

  private void storeSecret(String name, String kubeconfigText, Map<String, String> labels) {
    var mgmt = fleet.client("mgmt");
    if (mgmt.namespaces().withName(NAMESPACE).get() == null) {
      mgmt.namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName(NAMESPACE)
                  .endMetadata()
                  .build())
          .create();
    }
    mgmt.secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .withLabels(labels)
                .endMetadata()
                .addToData(
                    "value",
                    Base64.getEncoder()
                        .encodeToString(kubeconfigText.getBytes(StandardCharsets.UTF_8)))
                .build())
        .create();
  }

  private ClusterClients clients(Source source, Connection w1, KubeconfigPolicy policy) {
    Path kubeconfig =
        source == Source.FILE ? dir.resolve("workload-kubeconfig") : fleet.kubeconfigPath();
    Map<String, Connection> connections =
        source == Source.FILE
            ? Map.of("w1", w1)
            : Map.of("mgmt", Connection.context("mgmt"), "w1", w1);
    return new ClusterClients(
        connections,
        source == Source.FILE ? null : "mgmt",
        kubeconfig,
        KubeSettings.DEFAULTS.withKubeconfigPolicy(policy));
  }

  private static KubeconfigPolicy allowListed() {
    return KubeconfigPolicy.DEFAULT.allowingSecrets(List.of(NAMESPACE + "/w1-kubeconfig"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Source.class)
  void anExecPluginIsRefusedBeforeItRuns(Source source) throws Exception {
    Connection w1 = connect(source, Variant.EXEC);
    try (ClusterClients clients = clients(source, w1, allowListed())) {
      Throwable thrown = catchAll(() -> clients.client("w1"));
      assertRefused(thrown, Variant.EXEC);
      assertThat(marker).as("the exec command never ran").doesNotExist();
      // The read reports the cluster unknown with the same reason, and still runs nothing.
      LiveState state = new Fabric8LiveStateReader(clients).read("w1", List.of());
      assertThat(state.isKnown()).isFalse();
      assertThat(state.unknownReason()).contains("kube.allowExecPlugins");
      assertThat(marker).doesNotExist();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Source.class)
  void withTheOperatorSettingOnTheSameKubeconfigRunsItsPlugin(Source source) throws Exception {
    // The same kubeconfig Fabric8 parsed unchecked (the code before the check) runs the command.
    Connection w1 = connect(source, Variant.EXEC);
    try (ClusterClients clients = clients(source, w1, allowListed().withAllowExecPlugins(true))) {
      assertThat(clients.client("w1").getConfiguration().getMasterUrl())
          .startsWith(fleet.serverUrl("w1"));
      assertThat(marker).as("exec ran because the operator allowed it").exists();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Variant.class,
      names = {"AUTH_PROVIDER", "TOKEN_FILE", "CLIENT_KEY", "CERTIFICATE_AUTHORITY"})
  void authProvidersAndLocalFilesAreRefusedFromAFile(Variant variant) throws Exception {
    Connection w1 = connect(Source.FILE, variant);
    try (ClusterClients clients = clients(Source.FILE, w1, KubeconfigPolicy.DEFAULT)) {
      assertRefused(catchAll(() -> clients.client("w1")), variant);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Variant.class,
      names = {"AUTH_PROVIDER", "TOKEN_FILE", "CLIENT_KEY", "CERTIFICATE_AUTHORITY"})
  void authProvidersAndLocalFilesAreRefusedFromASecret(Variant variant) throws Exception {
    Connection w1 = connect(Source.SECRET, variant);
    try (ClusterClients clients = clients(Source.SECRET, w1, allowListed())) {
      assertRefused(catchAll(() -> clients.client("w1")), variant);
    }
  }

  @Test
  void inlineCredentialsStillWork() throws Exception {
    String text =
        """
        apiVersion: v1
        kind: Config
        current-context: w1
        clusters: [{name: w1, cluster: {server: %s}}]
        users: [{name: u, user: {token: inline-token, client-certificate-data: "", username: a}}]
        contexts: [{name: w1, context: {cluster: w1, user: u, namespace: apps}}]
        """
            .formatted(fleet.serverUrl("w1"));
    storeSecret("w1-kubeconfig", text, Map.of());
    Connection w1 =
        new Connection(Connection.Type.KUBECONFIG_SECRET, null, NAMESPACE, "w1-kubeconfig", null);
    try (ClusterClients clients = clients(Source.SECRET, w1, allowListed())) {
      var config = clients.client("w1").getConfiguration();
      assertThat(config.getMasterUrl()).startsWith(fleet.serverUrl("w1"));
      assertThat(config.getAutoOAuthToken()).isEqualTo("inline-token");
      assertThat(config.getNamespace()).isEqualTo("apps");
    }
  }

  @Test
  void aSecretOffTheAllowListIsRefusedWithoutAnyRequestToTheManagementCluster() throws Exception {
    Connection w1 = connect(Source.SECRET, Variant.EXEC);
    KubeconfigPolicy other = KubeconfigPolicy.DEFAULT.allowingSecrets(List.of(NAMESPACE + "/x"));
    try (ClusterClients clients = clients(Source.SECRET, w1, other)) {
      int before = fleet.requestCount("mgmt");
      Throwable thrown = catchAll(() -> clients.client("w1"));
      assertThat(thrown)
          .isInstanceOf(KubeAccessException.class)
          .hasMessageContaining("cluster w1")
          .hasMessageContaining("Secret fleet-system/w1-kubeconfig")
          .hasMessageContaining("allow-list")
          .hasMessageContaining("kube.kubeconfigSecrets.names");
      assertThat(fleet.requestCount("mgmt"))
          .as("requests to the management cluster")
          .isEqualTo(before);
      assertThat(marker).doesNotExist();
      // The Secret is there: only the allow-list stopped it.
      assertThat(
              fleet.client("mgmt").secrets().inNamespace(NAMESPACE).withName("w1-kubeconfig").get())
          .isNotNull();
    }
  }

  @Test
  void theDefaultPolicyReadsNoSecretAtAll() throws Exception {
    Connection w1 = connect(Source.SECRET, Variant.CERTIFICATE_AUTHORITY);
    try (ClusterClients clients = clients(Source.SECRET, w1, KubeconfigPolicy.DEFAULT)) {
      int before = fleet.requestCount("mgmt");
      assertThat(catchAll(() -> clients.client("w1")))
          .isInstanceOf(KubeAccessException.class)
          .hasMessageContaining("allow-list");
      assertThat(fleet.requestCount("mgmt")).isEqualTo(before);
    }
  }

  @Test
  void aSelectorAllowsLabelledSecretsOfItsNamespaceOnly() throws Exception {
    String text =
        kubeconfig(Variant.CERTIFICATE_AUTHORITY)
            .replace(", certificate-authority: /etc/passwd", "");
    storeSecret("labelled", text, Map.of("fleetwarden.dev/kubeconfig", "true"));
    storeSecret("unlabelled", text, Map.of());
    KubeconfigPolicy policy =
        KubeconfigPolicy.fromSettings(false, NAMESPACE, "", "fleetwarden.dev/kubeconfig=true");
    Map<String, Connection> connections =
        Map.of(
            "mgmt", Connection.context("mgmt"),
            "w1", secretRef(NAMESPACE, "labelled"),
            "w2", secretRef(NAMESPACE, "unlabelled"),
            "w3", secretRef("default", "labelled"));
    try (ClusterClients clients =
        new ClusterClients(
            connections,
            "mgmt",
            fleet.kubeconfigPath(),
            KubeSettings.DEFAULTS.withKubeconfigPolicy(policy))) {
      assertThat(clients.client("w1").getConfiguration().getMasterUrl())
          .startsWith(fleet.serverUrl("w1"));
      assertThat(catchAll(() -> clients.client("w2")))
          .isInstanceOf(KubeAccessException.class)
          .hasMessageContaining("fleet-system/unlabelled")
          .hasMessageContaining("kube.kubeconfigSecrets.selector");
      int before = fleet.requestCount("mgmt");
      assertThat(catchAll(() -> clients.client("w3")))
          .isInstanceOf(KubeAccessException.class)
          .hasMessageContaining("default/labelled")
          .hasMessageContaining("allow-list");
      assertThat(fleet.requestCount("mgmt")).isEqualTo(before);
    }
  }

  private static Connection secretRef(String namespace, String name) {
    return new Connection(Connection.Type.KUBECONFIG_SECRET, null, namespace, name, "value");
  }

  private void assertRefused(Throwable thrown, Variant variant) {
    assertThat(thrown).isInstanceOf(KubeAccessException.class);
    assertThat(thrown.getMessage())
        .contains("cluster w1")
        .contains(variant.section + "." + variant.key)
        .contains("kube.allowExecPlugins")
        .contains("refuses");
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      // Never the kubeconfig's content: not the command, the paths or the credentials.
      assertThat(String.valueOf(t.getMessage()))
          .doesNotContain("touch")
          .doesNotContain(marker.toString())
          .doesNotContain("/etc/")
          .doesNotContain("refresh-token")
          .doesNotContain("inline-token");
    }
  }

  private static Throwable catchAll(Runnable r) {
    try {
      r.run();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }
}
