package dev.fleetwarden.git;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the fleet repo lives and how to reach it, read once at startup. Immutable.
 *
 * <ul>
 *   <li>{@code url}: {@code https://...}, {@code ssh://...} / {@code git@host:path}, {@code
 *       file://...} or a plain path.
 *   <li>{@code branch}: the tracked branch (e.g. {@code main}).
 *   <li>{@code workDir}: the local clone; created on first use, reused afterwards.
 *   <li>{@code tokenFile} / {@code tokenEnv}: for HTTPS, a file holding the token (wins) or the
 *       name of an environment variable holding it; sent as the password of {@code tokenUser}
 *       (default {@code x-access-token}, what GitHub expects for app and fine-grained tokens).
 *   <li>{@code sshKeyFile} / {@code knownHostsFile}: for SSH, the private key and the known_hosts
 *       file used to check the server's host key.
 *   <li>{@code authorName} / {@code authorEmail}: identity of the commits fleetwarden makes.
 * </ul>
 *
 * {@link #toString()} never shows the URL's user info; the token itself is never held here.
 */
public record GitSettings(
    String url,
    String branch,
    Path workDir,
    Path tokenFile,
    String tokenEnv,
    String tokenUser,
    Path sshKeyFile,
    Path knownHostsFile,
    String authorName,
    String authorEmail,
    Duration timeout) {

  public static final String DEFAULT_TOKEN_USER = "x-access-token";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public GitSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(workDir, "workDir");
    if (branch == null || branch.isBlank()) {
      branch = "main";
    }
    if (tokenUser == null || tokenUser.isBlank()) {
      tokenUser = DEFAULT_TOKEN_USER;
    }
    if (authorName == null || authorName.isBlank()) {
      authorName = "fleetwarden";
    }
    if (authorEmail == null || authorEmail.isBlank()) {
      authorEmail = "fleetwarden@localhost";
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      timeout = DEFAULT_TIMEOUT;
    }
  }

  /** Settings without credentials (file paths, public repos, or credentials in the URL). */
  public static GitSettings of(String url, String branch, Path workDir) {
    return new GitSettings(
        url, branch, workDir, null, null, null, null, null, null, null, DEFAULT_TIMEOUT);
  }

  /** A copy that authenticates over HTTPS with a token read from a file. */
  public GitSettings withTokenFile(Path file, String user) {
    return new GitSettings(
        url,
        branch,
        workDir,
        file,
        tokenEnv,
        user,
        sshKeyFile,
        knownHostsFile,
        authorName,
        authorEmail,
        timeout);
  }

  /** A copy that authenticates over HTTPS with a token read from an environment variable. */
  public GitSettings withTokenEnv(String variable, String user) {
    return new GitSettings(
        url,
        branch,
        workDir,
        tokenFile,
        variable,
        user,
        sshKeyFile,
        knownHostsFile,
        authorName,
        authorEmail,
        timeout);
  }

  /** A copy that authenticates over SSH with a private key, checking hosts in known_hosts. */
  public GitSettings withSsh(Path keyFile, Path knownHosts) {
    return new GitSettings(
        url,
        branch,
        workDir,
        tokenFile,
        tokenEnv,
        tokenUser,
        keyFile,
        knownHosts,
        authorName,
        authorEmail,
        timeout);
  }

  /** A copy whose commits carry this identity. */
  public GitSettings withAuthor(String name, String email) {
    return new GitSettings(
        url,
        branch,
        workDir,
        tokenFile,
        tokenEnv,
        tokenUser,
        sshKeyFile,
        knownHostsFile,
        name,
        email,
        timeout);
  }

  /** Whether a token source is configured. */
  public boolean hasToken() {
    return tokenFile != null || (tokenEnv != null && !tokenEnv.isBlank());
  }

  /** The URL with any user info replaced by {@code ***}: safe for logs and messages. */
  public String redactedUrl() {
    return Redaction.url(url);
  }

  @Override
  public String toString() {
    return "GitSettings[url="
        + redactedUrl()
        + ", branch="
        + branch
        + ", workDir="
        + workDir
        + ", tokenFile="
        + tokenFile
        + ", tokenEnv="
        + tokenEnv
        + ", sshKeyFile="
        + sshKeyFile
        + ", knownHostsFile="
        + knownHostsFile
        + "]";
  }
}
