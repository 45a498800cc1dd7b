package dev.fleetwarden.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the operator lets kubeconfigs do, decided in fleetwarden's own configuration and never in
 * the fleet repo. Immutable.
 *
 * <ul>
 *   <li>{@code allowExecPlugins}: whether a kubeconfig may run an {@code exec} credential plugin,
 *       use an {@code auth-provider} or name local files ({@code tokenFile}, {@code
 *       client-certificate}, {@code client-key}, {@code certificate-authority}). Off, only inline
 *       credentials ({@code token}, {@code *-data}) are accepted.
 *   <li>which Secrets of the management cluster a {@code kubeconfig-secret} connection may name:
 *       Secrets listed by {@code namespace/name}, and/or Secrets of {@code selectorNamespace}
 *       carrying every label of {@code selector}. A fleet commit can point a cluster at any Secret;
 *       only these are ever read.
 * </ul>
 *
 * @param allowExecPlugins exec plugins, auth-providers and local file references allowed
 * @param secrets allowed Secrets as {@code namespace/name}
 * @param selectorNamespace the namespace the selector applies to (null when no selector)
 * @param selector labels an allowed Secret of {@code selectorNamespace} carries (empty: none)
 */
public record KubeconfigPolicy(
    boolean allowExecPlugins,
    Set<String> secrets,
    String selectorNamespace,
    Map<String, String> selector) {

  /** Nothing beyond inline credentials, no kubeconfig Secret. */
  public static final KubeconfigPolicy DEFAULT =
      new KubeconfigPolicy(false, Set.of(), null, Map.of());

  /** The configuration keys (and their environment variables) the messages point at. */
  static final String KEY_EXEC = "kube.allowExecPlugins (FLEETWARDEN_KUBE_ALLOW_EXEC_PLUGINS)";

  static final String KEY_NAMES =
      "kube.kubeconfigSecrets.names (FLEETWARDEN_KUBE_KUBECONFIG_SECRETS_NAMES)";

  private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  private static final Pattern LABEL_KEY =
      Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

  public KubeconfigPolicy {
    secrets = Set.copyOf(new TreeSet<>(secrets == null ? Set.of() : secrets));
    selector = Map.copyOf(selector == null ? Map.of() : selector);
    for (String ref : secrets) {
      int slash = ref.indexOf('/');
      if (slash < 1
          || slash != ref.lastIndexOf('/')
          || !DNS_NAME.matcher(ref.substring(0, slash)).matches()
          || !DNS_NAME.matcher(ref.substring(slash + 1)).matches()) {
        throw new IllegalArgumentException(
            "kubeconfig Secret '" + ref + "' is not namespace/name; fix " + KEY_NAMES);
      }
    }
    if (!selector.isEmpty() && (selectorNamespace == null || selectorNamespace.isBlank())) {
      throw new IllegalArgumentException(
          "kube.kubeconfigSecrets.selector needs kube.kubeconfigSecrets.namespace: set the"
              + " namespace whose labelled Secrets may be read");
    }
    if (selector.isEmpty()) {
      selectorNamespace = null;
    }
  }

  /**
   * The policy of fleetwarden's configuration values.
   *
   * @param allowExecPlugins {@code kube.allowExecPlugins}
   * @param namespace {@code kube.kubeconfigSecrets.namespace}: where {@code names} without a
   *     namespace and the {@code selector} apply
   * @param names {@code kube.kubeconfigSecrets.names}: comma-separated (or a YAML list) of {@code
   *     name} or {@code namespace/name}
   * @param selector {@code kube.kubeconfigSecrets.selector}: {@code key=value,key2=value2}
   * @throws IllegalArgumentException naming the key to fix when a value is malformed
   */
  public static KubeconfigPolicy fromSettings(
      boolean allowExecPlugins, String namespace, String names, String selector) {
    String ns = namespace == null || namespace.isBlank() ? null : namespace.trim();
    Set<String> secrets = new TreeSet<>();
    for (String name : list(names)) {
      if (name.contains("/")) {
        secrets.add(name);
      } else if (ns == null) {
        throw new IllegalArgumentException(
            "kubeconfig Secret '"
                + name
                + "' has no namespace: set kube.kubeconfigSecrets.namespace"
                + " (FLEETWARDEN_KUBE_KUBECONFIG_SECRETS_NAMESPACE) or write it as"
                + " namespace/name in "
                + KEY_NAMES);
      } else {
        secrets.add(ns + "/" + name);
      }
    }
    return new KubeconfigPolicy(allowExecPlugins, secrets, ns, labels(selector));
  }

  /** This policy, also allowing these Secrets ({@code namespace/name}). */
  public KubeconfigPolicy allowingSecrets(Collection<String> more) {
    Set<String> all = new TreeSet<>(secrets);
    all.addAll(more);
    return new KubeconfigPolicy(allowExecPlugins, all, selectorNamespace, selector);
  }

  /** This policy with exec plugins (and auth-providers, local files) allowed or not. */
  public KubeconfigPolicy withAllowExecPlugins(boolean value) {
    return new KubeconfigPolicy(value, secrets, selectorNamespace, selector);
  }

  /** Whether the Secret is on the list by name. */
  public boolean listsSecret(String namespace, String name) {
    return secrets.contains(namespace + "/" + name);
  }

  /** Whether a Secret of this namespace may be allowed by carrying the selector's labels. */
  public boolean selectorCovers(String namespace) {
    return !selector.isEmpty() && namespace.equals(selectorNamespace);
  }

  private static List<String> list(String value) {
    List<String> out = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return out;
    }
    String v = value.trim();
    if (v.startsWith("[")) {
      // The config file may hold a YAML list; Config passes it on as JSON text.
      try {
        JsonNode array = new ObjectMapper().readTree(v);
        if (array.isArray()) {
          array.forEach(n -> add(out, n.asText()));
          return out;
        }
      } catch (IOException e) {
        // not JSON: read it as comma-separated below
      }
    }
    for (String part : v.split(",")) {
      add(out, part);
    }
    return out;
  }

  private static void add(List<String> out, String item) {
    String s = item.trim();
    if (!s.isEmpty()) {
      out.add(s);
    }
  }

  private static Map<String, String> labels(String selector) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : list(selector)) {
      int eq = part.indexOf('=');
      String key = eq < 0 ? "" : part.substring(0, eq).trim();
      String value = eq < 0 ? "" : part.substring(eq + 1).trim();
      if (value.startsWith("=")) {
        value = value.substring(1).trim();
      }
      if (eq < 0
          || !LABEL_KEY.matcher(key).matches()
          || !LABEL_VALUE.matcher(value).matches()
          || value.length() > 63) {
        throw new IllegalArgumentException(
            "kube.kubeconfigSecrets.selector (FLEETWARDEN_KUBE_KUBECONFIG_SECRETS_SELECTOR): '"
                + part
                + "' is not key=value; write equality labels separated by commas, e.g."
                + " fleetwarden.dev/kubeconfig=true");
      }
      out.put(key, value);
    }
    return out;
  }
}
