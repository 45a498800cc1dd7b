package dev.fleetwarden.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Kubeconfigs read as plain YAML before Fabric8 sees them, because Fabric8 acts while it parses: it
 * runs a user's {@code exec} command and reads the files a kubeconfig names. This class picks the
 * context and names what the context's user and cluster would make fleetwarden do on its host, so
 * {@link ClusterClients} can refuse it. Pure logic, apart from {@link #locate}.
 */
final class KubeconfigCheck {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keys of a kubeconfig user that run a command or reach an identity provider. */
  private static final Map<String, String> USER_ACTIONS =
      Map.of(
          "exec", "runs a command on the fleetwarden host (exec credential plugin)",
          "authprovider", "uses an auth-provider (a plugin that may contact an identity provider)");

  /** Keys of a kubeconfig user that name a local file. */
  private static final Set<String> USER_FILES =
      Set.of("tokenfile", "clientcertificate", "clientkey");

  /** Keys of a kubeconfig cluster that name a local file. */
  private static final Set<String> CLUSTER_FILES = Set.of("certificateauthority");

  private KubeconfigCheck() {}

  /** One kubeconfig: where it comes from (for messages, never its content) and its tree. */
  record Document(String origin, JsonNode root) {
    /** The tree as JSON text: what Fabric8 parses, so it sees exactly what was checked. */
    String json() {
      try {
        return JSON.writeValueAsString(root);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a parsed kubeconfig cannot be written back", e);
      }
    }
  }

  /** A kubeconfig fleetwarden will not use; the message never quotes the kubeconfig. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses kubeconfig text.
   *
   * @throws Refused when it is not YAML or not a mapping (the parser's message is dropped: it may
   *     quote the text)
   */
  static Document parse(String origin, String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new Refused(
          origin
              + " is not valid YAML ("
              + e.getClass().getSimpleName()
              + "); check that it is a valid kubeconfig");
    }
    if (root == null || !root.isObject()) {
      throw new Refused(origin + " is not a kubeconfig (no top-level mapping)");
    }
    return new Document(origin, root);
  }

  /**
   * The context to use: {@code wanted} when given, else the first document's {@code
   * current-context}, else the only context there is. Null when there is none.
   */
  static String contextName(List<Document> docs, String wanted) {
    if (wanted != null) {
      return hasContext(docs, wanted) ? wanted : null;
    }
    for (Document d : docs) {
      String current = d.root().path("current-context").asText("");
      if (!current.isEmpty() && hasContext(docs, current)) {
        return current;
      }
    }
    Set<String> names = new HashSet<>();
    for (Document d : docs) {
      for (JsonNode c : d.root().path("contexts")) {
        if (c.path("context").isObject()) {
          names.add(c.path("name").asText());
        }
      }
    }
    return names.size() == 1 ? names.iterator().next() : null;
  }

  private static boolean hasContext(List<Document> docs, String name) {
    for (Document d : docs) {
      for (JsonNode c : d.root().path("contexts")) {
        if (name.equals(c.path("name").asText()) && c.path("context").isObject()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * What the context's user and cluster would make fleetwarden do on its host: one line naming the
   * key and its place ({@code kubeconfig /x (users[0].user.exec) runs a command ...}), or null when
   * they only carry inline credentials. Every entry carrying a name the context uses is checked, so
   * duplicates cannot hide one.
   */
  static String hostAccess(List<Document> docs, String context) {
    Set<String> clusters = new HashSet<>();
    Set<String> users = new HashSet<>();
    for (Document d : docs) {
      for (JsonNode c : d.root().path("contexts")) {
        if (context.equals(c.path("name").asText())) {
          clusters.add(c.path("context").path("cluster").asText());
          users.add(c.path("context").path("user").asText());
        }
      }
    }
    for (Document d : docs) {
      JsonNode list = d.root().path("users");
      for (int i = 0; i < list.size(); i++) {
        JsonNode entry = list.get(i);
        if (!users.contains(entry.path("name").asText())) {
          continue;
        }
        String place = "users[" + i + "].user";
        String found = refusedKey(d, place, entry.path("user"), USER_ACTIONS, USER_FILES);
        if (found != null) {
          return found;
        }
      }
      list = d.root().path("clusters");
      for (int i = 0; i < list.size(); i++) {
        JsonNode entry = list.get(i);
        if (!clusters.contains(entry.path("name").asText())) {
          continue;
        }
        String place = "clusters[" + i + "].cluster";
        String found = refusedKey(d, place, entry.path("cluster"), Map.of(), CLUSTER_FILES);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String refusedKey(
      Document d, String place, JsonNode node, Map<String, String> actions, Set<String> files) {
    var fields = node.fieldNames();
    while (fields.hasNext()) {
      String key = fields.next();
      // Spellings Fabric8 or kubectl might accept (tokenFile, token-file, Exec) all count.
      String normal = key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
      String where = d.origin() + " (" + place + "." + key + ")";
      if (actions.containsKey(normal)) {
        return where + " " + actions.get(normal);
      }
      if (files.contains(normal)) {
        return where + " names a file on the fleetwarden host";
      }
    }
    return null;
  }

  /**
   * The kubeconfig files kubectl would read: the entries of {@code KUBECONFIG} that exist, else
   * {@code ~/.kube/config} when it exists. Empty when there is none.
   */
  static List<Path> locate(String kubeconfigVariable, String home) {
    List<Path> out = new ArrayList<>();
    if (kubeconfigVariable != null && !kubeconfigVariable.isBlank()) {
      for (String entry : kubeconfigVariable.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          Path p = Path.of(entry.trim());
          if (Files.isRegularFile(p) && !out.contains(p)) {
            out.add(p);
          }
        }
      }
      return out;
    }
    if (home != null && !home.isBlank()) {
      Path p = Path.of(home, ".kube", "config");
      if (Files.isRegularFile(p)) {
        out.add(p);
      }
    }
    return out;
  }
}
