package dev.fleetwarden.charts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.fleet.ChartAllowList;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.RepoFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Credentials for private chart repositories and registries, from the operator's {@code
 * helm.credentialsFile} (never from the fleet repo): a YAML list of entries, each a URL prefix and
 * either a user name with a password, or a bearer token; a secret is given inline, or named as a
 * file ({@code passwordFile}, {@code tokenFile}) or an environment variable ({@code passwordEnv},
 * {@code tokenEnv}). The longest matching prefix wins. Values never appear in {@link #toString()},
 * logs or error messages.
 */
public final class RepositoryCredentials {
  /** No credentials: every repository is read anonymously. */
  public static final RepositoryCredentials NONE = new RepositoryCredentials(List.of());

  private static final Set<String> KEYS =
      Set.of(
          "url",
          "username",
          "password",
          "passwordFile",
          "passwordEnv",
          "token",
          "tokenFile",
          "tokenEnv");

  /** One entry: a basic credential (username and password) or a bearer token. */
  record Credential(String prefix, String username, String password, String token) {
    @Override
    public String toString() {
      return "Credential[" + prefix + ", " + (token != null ? "token" : "user " + username) + "]";
    }
  }

  private final List<Credential> entries;

  private RepositoryCredentials(List<Credential> entries) {
    this.entries =
        entries.stream()
            .sorted(Comparator.comparingInt((Credential c) -> c.prefix().length()).reversed())
            .toList();
  }

  /**
   * Reads the credentials file; secrets named as files or environment variables are read now.
   *
   * @throws FleetValidationException a problem of the file, with its line (never a secret)
   */
  public static RepositoryCredentials read(Path file, Map<String, String> env)
      throws FleetValidationException {
    String name = file.toString();
    LocatedYaml.Document doc = LocatedYaml.parse(name, RepoFiles.readOperatorFile(file));
    List<FleetError> errors = new ArrayList<>();
    List<Credential> out = new ArrayList<>();
    JsonNode root = doc.root();
    if (!root.isArray()) {
      throw new FleetValidationException(
          doc.error(
              "",
              "expected a list of entries (- url: …, username: …, passwordFile: …); see the"
                  + " README"));
    }
    for (int i = 0; i < root.size(); i++) {
      String at = "/" + i;
      JsonNode e = root.get(i);
      if (!e.isObject()) {
        errors.add(doc.error(at, "each entry is a mapping with url and credentials"));
        continue;
      }
      for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!KEYS.contains(key)) {
          errors.add(
              doc.error(at + "/" + key, "unknown key '" + key + "'; allowed: " + sortedKeys()));
        }
      }
      String url = e.path("url").asText("");
      try {
        if (url.isBlank() || ChartAllowList.parse(url).prefixes().size() != 1) {
          errors.add(doc.error(at, "url is required: the repository or registry URL prefix"));
          continue;
        }
      } catch (IllegalArgumentException bad) {
        errors.add(doc.error(at + "/url", "url must be https://…, http://… or oci://…"));
        continue;
      }
      String token = secret(doc, e, at, "token", env, errors);
      String password = secret(doc, e, at, "password", env, errors);
      String username = e.hasNonNull("username") ? e.get("username").asText() : null;
      if (token != null && (password != null || username != null)) {
        errors.add(doc.error(at, "give a token or a username and password, not both"));
      } else if (token == null && (username == null || password == null)) {
        errors.add(
            doc.error(
                at,
                "give username with password (password, passwordFile or passwordEnv), or a token"
                    + " (token, tokenFile or tokenEnv)"));
      } else {
        out.add(new Credential(url.strip(), username, password, token));
      }
    }
    if (!errors.isEmpty()) {
      throw new FleetValidationException(errors);
    }
    return new RepositoryCredentials(out);
  }

  /** Credentials built in code (tests, embedded defaults). */
  static RepositoryCredentials of(List<Credential> entries) {
    return new RepositoryCredentials(entries);
  }

  private static String secret(
      LocatedYaml.Document doc,
      JsonNode e,
      String at,
      String kind,
      Map<String, String> env,
      List<FleetError> errors) {
    int given = 0;
    String value = null;
    if (e.hasNonNull(kind)) {
      given++;
      value = e.get(kind).asText();
    }
    if (e.hasNonNull(kind + "File")) {
      given++;
      Path f = Path.of(e.get(kind + "File").asText());
      try {
        value = Files.readString(f, StandardCharsets.UTF_8).strip();
      } catch (IOException | RuntimeException x) {
        errors.add(doc.error(at + "/" + kind + "File", "cannot read the " + kind + " file " + f));
      }
    }
    if (e.hasNonNull(kind + "Env")) {
      given++;
      String var = e.get(kind + "Env").asText();
      value = env.get(var);
      if (value == null || value.isBlank()) {
        errors.add(
            doc.error(at + "/" + kind + "Env", "environment variable " + var + " is not set"));
      }
    }
    if (given > 1) {
      errors.add(doc.error(at, "give one of " + kind + ", " + kind + "File, " + kind + "Env"));
    }
    return value == null || value.isBlank() ? null : value;
  }

  private static String sortedKeys() {
    return String.join(", ", new TreeSet<>(KEYS));
  }

  /** The credential for a URL: its longest matching prefix. */
  Optional<Credential> forUrl(String url) {
    return entries.stream()
        .filter(c -> new ChartAllowList(List.of(c.prefix())).allows(url))
        .findFirst();
  }

  /** The Authorization header value for a URL, if a credential covers it. */
  Optional<String> authorization(String url) {
    return forUrl(url)
        .map(
            c ->
                c.token() != null
                    ? "Bearer " + c.token()
                    : "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (c.username() + ":" + c.password())
                                    .getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public String toString() {
    return "RepositoryCredentials" + entries.stream().map(Credential::prefix).toList();
  }
}
