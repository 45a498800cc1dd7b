package dev.fleetwarden.git;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.SshConstants;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * The one way fleetwarden authenticates to a fleet remote, for every JGit command that talks to it
 * (clone, fetch, push, ls-remote): HTTPS with a token (read at every call, so a rotated token file
 * is picked up without a restart), or SSH with exactly the configured private key and known_hosts
 * file, strict host key checking (an unknown or changed host key is refused, never added) and no
 * {@code ~/.ssh/config}. Failure texts are one line and never carry the token or key material.
 *
 * <p>Use {@link #begin()} once per remote operation, then {@link Call#configure} on each command
 * and {@link Call#detail} on any exception. Thread-safe; {@link #close()} releases the SSH client.
 */
public final class GitTransport implements AutoCloseable {
  private static final String HINT =
      "; check the URL, the network and the credentials (tokenFile/tokenEnv for HTTPS,"
          + " sshKeyFile/knownHostsFile for SSH)";

  private final GitSettings settings;
  private final Supplier<String> token;
  private SshdSessionFactory sshFactory;

  /** Credentials from the settings' token file or variable ({@code System.getenv}) or SSH key. */
  public GitTransport(GitSettings settings) {
    this(settings, System::getenv);
  }

  /** With an explicit environment lookup (for {@link GitSettings#tokenEnv()}), e.g. in tests. */
  public GitTransport(GitSettings settings, UnaryOperator<String> environment) {
    this(settingsToken(settings, environment), settings);
  }

  private GitTransport(Supplier<String> token, GitSettings settings) {
    this.settings = settings;
    this.token = token;
  }

  /**
   * A transport for the same remote and SSH key whose HTTPS token is this value instead of the
   * settings' token source (e.g. a token with write access for pull-request branches).
   */
  public GitTransport withToken(String value) {
    String fixed = value == null ? "" : value.trim();
    return new GitTransport(
        () -> {
          if (fixed.isEmpty()) {
            throw new GitException(
                settings.redactedUrl(),
                "the Git token for " + settings.redactedUrl() + " is empty; set it or remove it",
                null);
          }
          return fixed;
        },
        settings);
  }

  /** The remote URL (may hold user info: use {@link #redactedUrl()} in texts). */
  public String url() {
    return settings.url();
  }

  /** The remote URL with any user info replaced by {@code ***}. */
  public String redactedUrl() {
    return settings.redactedUrl();
  }

  /**
   * Reads the credentials for one remote operation.
   *
   * @throws GitException when the configured token source cannot be read or is empty
   */
  public Call begin() {
    String value = token == null ? null : token.get();
    return new Call(
        value == null ? null : new UsernamePasswordCredentialsProvider(settings.tokenUser(), value),
        Redaction.of(value));
  }

  /** A call without credentials, for failures of local work (URL user info is still hidden). */
  public Call local() {
    return new Call(null, Redaction.of());
  }

  /** Credentials of one remote operation: configures its commands and redacts its failures. */
  public final class Call {
    private final CredentialsProvider provider;
    private final Redaction redaction;

    private Call(CredentialsProvider provider, Redaction redaction) {
      this.provider = provider;
      this.redaction = redaction;
    }

    /** Sets the timeout, the token (if any) and, for SSH remotes, the configured key. */
    public <C extends TransportCommand<C, ?>> C configure(C command) {
      command.setTimeout((int) Math.max(1, settings.timeout().toSeconds()));
      if (provider != null) {
        command.setCredentialsProvider(provider);
      }
      command.setTransportConfigCallback(
          transport -> {
            if (transport instanceof SshTransport ssh && settings.sshKeyFile() != null) {
              ssh.setSshSessionFactory(sshFactory());
            }
          });
      return command;
    }

    /**
     * One line for a failed operation: the innermost cause's message with the URL's user info and
     * the token removed, plus what to check when the remote could not be reached or refused us.
     */
    public String detail(Exception e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String text = redaction.text(String.valueOf(root.getMessage()));
      text = text.replaceAll("\\s*\\R\\s*", " ").strip();
      boolean transport =
          e instanceof TransportException
              || e instanceof org.eclipse.jgit.errors.TransportException;
      return text + (transport ? HINT : "");
    }

    /** A copy of the exception chain with every message redacted, for use as a cause. */
    public Throwable redacted(Throwable e) {
      return redaction.chain(e);
    }

    String text(String text) {
      return redaction.text(text);
    }
  }

  @Override
  public synchronized void close() {
    if (sshFactory != null) {
      sshFactory.close();
      sshFactory = null;
    }
  }

  private synchronized SshdSessionFactory sshFactory() {
    if (sshFactory == null) {
      Path key = settings.sshKeyFile().toAbsolutePath();
      Path knownHosts = settings.knownHostsFile();
      File home = FS.DETECTED.userHome();
      if (home == null) {
        home = settings.workDir().toAbsolutePath().getParent().toFile();
      }
      sshFactory =
          new SshdSessionFactoryBuilder()
              .setHomeDirectory(home)
              .setSshDirectory(key.getParent().toFile())
              .setDefaultIdentities(dir -> List.of(key))
              .setDefaultKnownHostsFiles(
                  dir -> knownHosts == null ? List.of() : List.of(knownHosts.toAbsolutePath()))
              .setPreferredAuthentications("publickey")
              // Only the configured key and known_hosts count, never ~/.ssh/config; a host key
              // that is not in known_hosts is refused rather than asked about or added.
              .setConfigStoreFactory((h, f, u) -> strictConfig(key))
              .build(null);
    }
    return sshFactory;
  }

  /**
   * The whole SSH client configuration for every host: exactly the configured key (no agent, no
   * other identities), and a host key must match known_hosts ({@code StrictHostKeyChecking yes}).
   */
  private static SshConfigStore strictConfig(Path key) {
    Map<String, String> options =
        Map.of(
            SshConstants.STRICT_HOST_KEY_CHECKING, "yes",
            SshConstants.IDENTITIES_ONLY, "yes",
            SshConstants.IDENTITY_FILE, key.toString());
    SshConfigStore.HostConfig host =
        new SshConfigStore.HostConfig() {
          @Override
          public String getValue(String name) {
            return options.get(name);
          }

          @Override
          public List<String> getValues(String name) {
            String value = options.get(name);
            return value == null ? List.of() : List.of(value);
          }

          @Override
          public Map<String, String> getOptions() {
            return options;
          }

          @Override
          public Map<String, List<String>> getMultiValuedOptions() {
            return Map.of();
          }
        };
    return new SshConfigStore() {
      @Override
      public HostConfig lookup(String hostName, int port, String userName) {
        return host;
      }

      @Override
      public HostConfig lookupDefault(String hostName, int port, String userName) {
        return host;
      }
    };
  }

  private static Supplier<String> settingsToken(
      GitSettings settings, UnaryOperator<String> environment) {
    if (settings.tokenFile() != null) {
      return () -> {
        String value;
        try {
          value = Files.readString(settings.tokenFile()).trim();
        } catch (IOException e) {
          throw new GitException(
              settings.redactedUrl(),
              "cannot read the Git token file "
                  + settings.tokenFile()
                  + " ("
                  + e.getClass().getSimpleName()
                  + "); check the tokenFile setting and the mounted Secret",
              null);
        }
        return nonEmpty(settings, value, "token file " + settings.tokenFile());
      };
    }
    if (settings.tokenEnv() != null && !settings.tokenEnv().isBlank()) {
      return () -> {
        String value = environment.apply(settings.tokenEnv());
        return nonEmpty(
            settings,
            value == null ? "" : value.trim(),
            "environment variable " + settings.tokenEnv());
      };
    }
    return null;
  }

  private static String nonEmpty(GitSettings settings, String value, String source) {
    if (value.isEmpty()) {
      throw new GitException(
          settings.redactedUrl(),
          "the Git token from " + source + " is empty; set it or remove the token setting",
          null);
    }
    return value;
  }
}
