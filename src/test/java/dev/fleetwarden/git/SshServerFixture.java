package dev.fleetwarden.git;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.junit.ssh.SshTestGitServer;
import org.eclipse.jgit.lib.Repository;

/**
 * A fleet remote over SSH: JGit's Apache MINA sshd test server, in-process on 127.0.0.1 and a free
 * port, serving one bare repo to one user with one public key. The client side is what a deployment
 * configures: a private key file in OpenSSH format and a known_hosts file holding the server's host
 * key.
 */
public final class SshServerFixture implements AutoCloseable {
  public static final String USER = "git";

  public final SshTestGitServer server;
  public final KeyPair hostKey;
  public final Path keyFile;
  public final Path knownHosts;
  public final int port;
  public final String url;

  /** Starts the server for {@code bareRepo}; writes {@code id_rsa} and known_hosts to sshDir. */
  public SshServerFixture(Repository bareRepo, KeyPair clientKey, Path sshDir) throws Exception {
    hostKey = ecKeyPair();
    Files.createDirectories(sshDir);
    keyFile = writePrivateKey(clientKey, sshDir.resolve("id_rsa"));
    server = new SshTestGitServer(USER, clientKey.getPublic(), bareRepo, hostKey);
    port = server.start();
    url = "ssh://" + USER + "@127.0.0.1:" + port + "/fleet.git";
    knownHosts = writeKnownHosts(sshDir.resolve("known_hosts"), knownHostsName(), hostKey);
  }

  /** The server's name as known_hosts spells it. */
  public String knownHostsName() {
    return "[127.0.0.1]:" + port;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** RSA 3072 takes about a second to generate: once per test class, not per test. */
  public static KeyPair rsaKeyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(3072);
    return generator.generateKeyPair();
  }

  public static KeyPair ecKeyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** An unencrypted private key in OpenSSH format, as {@code ssh-keygen} writes it. */
  public static Path writePrivateKey(KeyPair pair, Path file) throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(
          pair, "fleetwarden-test", (OpenSSHKeyEncryptionContext) null, out);
    }
    return file;
  }

  public static Path writeKnownHosts(Path file, String host, KeyPair key) throws Exception {
    return Files.writeString(file, host + " " + PublicKeyEntry.toString(key.getPublic()) + "\n");
  }

  /** The base64 lines of a PEM-style key file. */
  public static List<String> keyBody(String keyText) {
    return keyText.lines().filter(l -> !l.isBlank() && !l.startsWith("-----")).toList();
  }

  public static String stackTrace(Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    return trace.toString();
  }
}
