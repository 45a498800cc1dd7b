package dev.fleetwarden.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.junit.ssh.SshTestGitServer;
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
  static final String USER = "git";
  // RSA 3072 takes about a second to generate: once per class, not per test.
  static KeyPair clientKey;
  static KeyPair revokedKey;

  @TempDir Path tmp;
  RemoteFixture remote;
  SshTestGitServer server;
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

    hostKey = ecKeyPair();
    Path ssh = Files.createDirectories(tmp.resolve("ssh"));
    keyFile = writePrivateKey(clientKey, ssh.resolve("id_rsa"));

    server = new SshTestGitServer(USER, clientKey.getPublic(), remote.bareRepo, hostKey);
    port = server.start();
    url = "ssh://" + USER + "@127.0.0.1:" + port + "/fleet.git";
    knownHosts = writeKnownHosts(ssh.resolve("known_hosts"), "[127.0.0.1]:" + port, hostKey);
  }

  @AfterEach
  void tearDown() throws Exception {
    server.stop();
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
    Path ssh = keyFile.getParent();
    String host = "[127.0.0.1]:" + port;
    // A known_hosts that lists other hosts only, one where this host has another key (a man in
    // the middle, or a rebuilt server nobody re-keyed), and an empty one.
    Path otherHostsOnly =
        writeKnownHosts(ssh.resolve("known_hosts_other"), "[127.0.0.1]:" + (port + 1), hostKey);
    Path changedKey = writeKnownHosts(ssh.resolve("known_hosts_changed"), host, ecKeyPair());
    Path empty = Files.writeString(ssh.resolve("known_hosts_empty"), "");
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

  private static KeyPair rsaKeyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(3072);
    return generator.generateKeyPair();
  }

  private static KeyPair ecKeyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** An unencrypted private key in OpenSSH format, as {@code ssh-keygen} writes it. */
  private static Path writePrivateKey(KeyPair pair, Path file) throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(
          pair, "fleetwarden-test", (OpenSSHKeyEncryptionContext) null, out);
    }
    return file;
  }

  private static Path writeKnownHosts(Path file, String host, KeyPair key) throws Exception {
    return Files.writeString(file, host + " " + PublicKeyEntry.toString(key.getPublic()) + "\n");
  }

  /** The base64 lines of a PEM-style key file. */
  private static List<String> keyBody(String keyText) {
    return keyText.lines().filter(l -> !l.isBlank() && !l.startsWith("-----")).toList();
  }

  private static String stackTrace(Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    return trace.toString();
  }
}
