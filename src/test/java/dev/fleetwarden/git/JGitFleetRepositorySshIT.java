package dev.fleetwarden.git;

import static dev.fleetwarden.git.SshServerFixture.ecKeyPair;
import static dev.fleetwarden.git.SshServerFixture.keyBody;
import static dev.fleetwarden.git.SshServerFixture.rsaKeyPair;
import static dev.fleetwarden.git.SshServerFixture.stackTrace;
import static dev.fleetwarden.git.SshServerFixture.writeKnownHosts;
import static dev.fleetwarden.git.SshServerFixture.writePrivateKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same repository over SSH: JGit's Apache MINA sshd test server, in-process on 127.0.0.1 and a
 * free port, accepting one user with one public key. The client side is what a deployment
 * configures: a private key file in OpenSSH format and a known_hosts file with the server's host
 * key.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JGitFleetRepositorySshIT {
  // RSA 3072 takes about a second to generate: once per class, not per test.
  static KeyPair clientKey;
  static KeyPair revokedKey;

  @TempDir Path tmp;
  RemoteFixture remote;
  SshServerFixture ssh;
  KeyPair hostKey;
  Path keyFile;
  Path knownHosts;
  String first;
  String url;
  int port;

  @BeforeAll
  static void generateClientKeys() throws Exception {
    clientKey = rsaKeyPair();
    revokedKey = rsaKeyPair();
  }

  @BeforeEach
  void setUp() throws Exception {
    remote = new RemoteFixture(tmp.resolve("remote"));
    first =
        remote.commit(
            Map.of(
                "fleet.yaml", "kind: Fleet\n",
                "clusters/dev-1/cluster.yaml", "kind: Cluster\nname: dev-1\n"),
            "Initial fleet");

    ssh = new SshServerFixture(remote.bareRepo, clientKey, tmp.resolve("ssh"));
    hostKey = ssh.hostKey;
    keyFile = ssh.keyFile;
    knownHosts = ssh.knownHosts;
    port = ssh.port;
    url = ssh.url;
  }

  @AfterEach
  void tearDown() throws Exception {
    ssh.close();
    remote.close();
  }

  @Test
  void clonesFetchesAndPushesWithAKeyFileAndKnownHosts() throws Exception {
    GitSettings settings =
        GitSettings.of(url, "main", tmp.resolve("work")).withSsh(keyFile, knownHosts);
    try (JGitFleetRepository repo = new JGitFleetRepository(settings)) {
      assertThat(repo.open()).isEqualTo(first);
      assertThat(repo.head()).isEqualTo(first);
      assertThat(RemoteFixture.read(repo.workTree().resolve("clusters/dev-1/cluster.yaml")))
          .contains("dev-1");

      assertThat(repo.fetch()).as("nothing new").isEqualTo(first);

      String second =
          remote.commit(
              Map.of(
                  "clusters/dev-1/cluster.yaml", "kind: Cluster\nname: dev-1\nrole: workload\n",
                  "clusters/dev-2/cluster.yaml", "kind: Cluster\nname: dev-2\n"),
              "Add dev-2");
      assertThat(repo.head()).as("not fetched yet").isEqualTo(first);
      assertThat(repo.fetch()).isEqualTo(second);
      assertThat(repo.head()).isEqualTo(second);
      assertThat(repo.changedPaths(first, second))
          .containsExactly("clusters/dev-1/cluster.yaml", "clusters/dev-2/cluster.yaml");
      assertThat(RemoteFixture.read(repo.workTree().resolve("clusters/dev-1/cluster.yaml")))
          .contains("role: workload");
      assertThat(repo.commitInfo(second).shortMessage()).isEqualTo("Add dev-2");

      String pushed =
          repo.commitAndPush(
              "fleetwarden/drift-1",
              Map.of("clusters/dev-2/cluster.yaml", "kind: Cluster\nname: dev-2\n# x\n"),
              "Fix",
              false);
      assertThat(remote.remoteBranch("fleetwarden/drift-1")).isEqualTo(pushed);
      assertThat(remote.parentOf(pushed)).isEqualTo(second);
      assertThat(remote.remoteBranch("main")).as("tracked branch untouched").isEqualTo(second);
    }
  }

  @Test
  void anUnknownClientKeyFailsNamingTheRemoteWithoutShowingTheKey() throws Exception {
    // Next to the accepted key: only the configured key file may be offered, not its neighbours.
    Path wrongKey = writePrivateKey(revokedKey, keyFile.resolveSibling("revoked_deploy_key"));
    String wrongKeyText = Files.readString(wrongKey);
    String rightKeyText = Files.readString(keyFile);
    Path work = tmp.resolve("work-wrong-key");
    try (JGitFleetRepository repo =
        new JGitFleetRepository(GitSettings.of(url, "main", work).withSsh(wrongKey, knownHosts))) {
      assertThatThrownBy(repo::open)
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                assertThat(e.remote()).isEqualTo("ssh://***@127.0.0.1:" + port + "/fleet.git");
                assertThat(e.getMessage())
                    .contains("127.0.0.1:" + port)
                    .containsIgnoringCase("authentication")
                    .contains("check the URL, the network and the credentials");
                String trace = stackTrace(e);
                for (String keyText : List.of(wrongKeyText, rightKeyText)) {
                  assertThat(trace).doesNotContain(keyText);
                  for (String line : keyBody(keyText)) {
                    assertThat(trace).doesNotContain(line);
                  }
                }
                assertThat(trace).doesNotContain("PRIVATE KEY");
              });
    }
    assertThat(work.resolve(".git")).as("partial clone removed").doesNotExist();
  }

  @Test
  void anUnknownOrChangedHostKeyIsRefused() throws Exception {
    Path sshDir = keyFile.getParent();
    String host = ssh.knownHostsName();
    // A known_hosts that lists other hosts only, one where this host has another key (a man in
    // the middle, or a rebuilt server nobody re-keyed), and an empty one.
    Path otherHostsOnly =
        writeKnownHosts(sshDir.resolve("known_hosts_other"), "[127.0.0.1]:" + (port + 1), hostKey);
    Path changedKey = writeKnownHosts(sshDir.resolve("known_hosts_changed"), host, ecKeyPair());
    Path empty = Files.writeString(sshDir.resolve("known_hosts_empty"), "");
    for (Path hosts : List.of(otherHostsOnly, changedKey, empty)) {
      Path work = tmp.resolve("work-" + hosts.getFileName());
      String before = Files.readString(hosts);
      try (JGitFleetRepository repo =
          new JGitFleetRepository(GitSettings.of(url, "main", work).withSsh(keyFile, hosts))) {
        assertThatThrownBy(repo::open)
            .as(hosts.getFileName().toString())
            .isInstanceOfSatisfying(
                GitException.class,
                e ->
                    assertThat(e.getMessage())
                        .contains("127.0.0.1:" + port)
                        .contains("Server key did not validate")
                        .contains("check the URL, the network and the credentials"));
        assertThat(repo.head()).isNull();
      }
      assertThat(work.resolve(".git")).as("no clone from an unverified host").doesNotExist();
      assertThat(Files.readString(hosts))
          .as("the refused key is not added to known_hosts")
          .isEqualTo(before);
    }
  }
}
