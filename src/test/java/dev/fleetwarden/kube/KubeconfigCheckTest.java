package dev.fleetwarden.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure part of the kubeconfig check: context choice, refused keys, file discovery. */
class KubeconfigCheckTest {
  @TempDir Path dir;

  private static KubeconfigCheck.Document doc(String text) {
    return KubeconfigCheck.parse("kubeconfig test", text);
  }

  private static final String TWO_CONTEXTS =
      """
      current-context: b
      clusters:
        - {name: c1, cluster: {server: https://one}}
        - {name: c2, cluster: {server: https://two, certificate-authority: /etc/ca.pem}}
      users:
        - {name: safe, user: {token: t, client-certificate-data: x, client-key-data: y}}
        - {name: plugin, user: {exec: {command: aws, args: [eks, get-token]}}}
      contexts:
        - {name: a, context: {cluster: c1, user: safe}}
        - {name: b, context: {cluster: c1, user: plugin}}
        - {name: c, context: {cluster: c2, user: safe}}
      """;

  @Test
  void onlyWhatTheChosenContextUsesIsChecked() {
    List<KubeconfigCheck.Document> docs = List.of(doc(TWO_CONTEXTS));
    assertThat(KubeconfigCheck.hostAccess(docs, "a")).isNull();
    assertThat(KubeconfigCheck.hostAccess(docs, "b"))
        .isEqualTo(
            "kubeconfig test (users[1].user.exec) runs a command on the fleetwarden host (exec"
                + " credential plugin)");
    assertThat(KubeconfigCheck.hostAccess(docs, "c"))
        .contains("clusters[1].cluster.certificate-authority")
        .contains("names a file")
        .doesNotContain("/etc/ca.pem");
  }

  @Test
  void contextIsTheWantedOneOrTheCurrentOneOrTheOnlyOne() {
    List<KubeconfigCheck.Document> docs = List.of(doc(TWO_CONTEXTS));
    assertThat(KubeconfigCheck.contextName(docs, "c")).isEqualTo("c");
    assertThat(KubeconfigCheck.contextName(docs, "missing")).isNull();
    assertThat(KubeconfigCheck.contextName(docs, null)).isEqualTo("b");
    assertThat(
            KubeconfigCheck.contextName(
                List.of(doc("contexts: [{name: only, context: {cluster: x, user: y}}]")), null))
        .isEqualTo("only");
    assertThat(
            KubeconfigCheck.contextName(
                List.of(
                    doc(
                        "current-context: gone\n"
                            + "contexts: [{name: p, context: {}}, {name: q, context: {}}]")),
                null))
        .isNull();
  }

  @Test
  void aDuplicateUserCannotHideAPlugin() {
    String text =
        """
        users:
          - {name: u, user: {token: t}}
          - {name: u, user: {auth-provider: {name: oidc}}}
        clusters: [{name: c, cluster: {server: https://x}}]
        contexts: [{name: k, context: {cluster: c, user: u}}]
        """;
    assertThat(KubeconfigCheck.hostAccess(List.of(doc(text)), "k"))
        .contains("users[1].user.auth-provider");
  }

  @Test
  void aUserInALaterFileIsCheckedToo() {
    var first = doc("contexts: [{name: k, context: {cluster: c, user: u}}]");
    var second =
        KubeconfigCheck.parse(
            "kubeconfig second",
            "users: [{name: u, user: {token-file: /var/run/token}}]\n"
                + "clusters: [{name: c, cluster: {server: https://x}}]");
    assertThat(KubeconfigCheck.hostAccess(List.of(first, second), "k"))
        .startsWith("kubeconfig second (users[0].user.token-file)");
  }

  @Test
  void spellingsOfRefusedKeysAllCount() {
    for (String key :
        List.of("exec", "Exec", "auth-provider", "authProvider", "tokenFile", "token_file")) {
      String text =
          "users: [{name: u, user: {"
              + key
              + ": x}}]\ncontexts: [{name: k, context: {cluster: c, user: u}}]";
      assertThat(KubeconfigCheck.hostAccess(List.of(doc(text)), "k")).as(key).contains(key);
    }
    for (String key : List.of("client-certificate", "client-key")) {
      String text =
          "users: [{name: u, user: {"
              + key
              + ": /x}}]\ncontexts: [{name: k, context: {cluster: c, user: u}}]";
      assertThat(KubeconfigCheck.hostAccess(List.of(doc(text)), "k")).as(key).contains(key);
    }
  }

  @Test
  void inlineDataIsAccepted() {
    String text =
        """
        users: [{name: u, user: {token: t, client-certificate-data: a, client-key-data: b,
                 username: n, password: p}}]
        clusters: [{name: c, cluster: {server: https://x, certificate-authority-data: c,
                    insecure-skip-tls-verify: false, tls-server-name: x}}]
        contexts: [{name: k, context: {cluster: c, user: u, namespace: apps}}]
        """;
    assertThat(KubeconfigCheck.hostAccess(List.of(doc(text)), "k")).isNull();
  }

  @Test
  void brokenYamlIsRefusedWithoutQuotingIt() {
    assertThatThrownBy(() -> doc("users: [{name: x, user: {token: s3cr3t}\n  : : ["))
        .isInstanceOf(KubeconfigCheck.Refused.class)
        .hasMessageStartingWith("kubeconfig test is not valid YAML")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> doc("- a list"))
        .isInstanceOf(KubeconfigCheck.Refused.class)
        .hasMessageContaining("no top-level mapping");
  }

  @Test
  void theCheckedTreeIsWhatFabric8Gets() {
    var d = doc("users: [{name: u, user: {token: t}}]\n");
    assertThat(d.json()).isEqualTo("{\"users\":[{\"name\":\"u\",\"user\":{\"token\":\"t\"}}]}");
  }

  @Test
  void filesAreFoundAsKubectlFindsThem() throws Exception {
    Path a = Files.writeString(dir.resolve("a"), "x");
    Path b = Files.writeString(dir.resolve("b"), "x");
    String list = a + File.pathSeparator + dir.resolve("missing") + File.pathSeparator + b;
    assertThat(KubeconfigCheck.locate(list, dir.toString())).containsExactly(a, b);

    Path home = dir.resolve("home");
    assertThat(KubeconfigCheck.locate(null, home.toString())).isEmpty();
    Files.createDirectories(home.resolve(".kube"));
    Path config = Files.writeString(home.resolve(".kube/config"), "x");
    assertThat(KubeconfigCheck.locate("", home.toString())).containsExactly(config);
    // KUBECONFIG set but naming nothing that exists: ~/.kube/config is not used instead.
    assertThat(KubeconfigCheck.locate(dir.resolve("missing").toString(), home.toString()))
        .isEmpty();
  }
}
