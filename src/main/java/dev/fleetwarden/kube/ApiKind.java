package dev.fleetwarden.kube;

import dev.fleetwarden.model.ApiTypes;
import io.fabric8.kubernetes.api.Pluralize;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Locale;
import java.util.Objects;

/**
 * A listable Kubernetes resource type: group, version, kind, plural and scope. Built-in kinds take
 * plural and scope from Fabric8's model classes, else from the vendored Kubernetes API ({@link
 * ApiTypes#builtIn()}); custom resources from their CRD when the caller knows it ({@link
 * #of(String, String, ApiTypes, boolean)}), else the usual lower-case plural and the scope the
 * caller gives. No discovery call is needed.
 */
public record ApiKind(String group, String version, String kind, String plural, boolean namespaced)
    implements Comparable<ApiKind> {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  public ApiKind {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
    group = group == null ? "" : group;
  }

  /**
   * The resource type of {@code apiVersion} ({@code group/version} or {@code v1}) and a built-in
   * kind; a kind neither Fabric8 nor the vendored API knows is taken as a namespaced custom
   * resource.
   */
  public static ApiKind of(String apiVersion, String kind) {
    return of(apiVersion, kind, ApiTypes.builtIn(), true);
  }

  /**
   * The resource type of {@code apiVersion} and kind, custom resources taken from {@code types}
   * (their CRDs); a kind no one knows gets the lower-case plural and {@code namespacedIfUnknown}.
   */
  public static ApiKind of(
      String apiVersion, String kind, ApiTypes types, boolean namespacedIfUnknown) {
    if (apiVersion == null || apiVersion.isBlank() || kind == null || kind.isBlank()) {
      throw new IllegalArgumentException(
          "an object needs apiVersion and kind to be read, got apiVersion="
              + apiVersion
              + " kind="
              + kind);
    }
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    Class<? extends KubernetesResource> type =
        SERIALIZATION.getRegisteredKubernetesResource(apiVersion, kind);
    if (type != null && HasMetadata.class.isAssignableFrom(type)) {
      @SuppressWarnings("unchecked")
      Class<? extends HasMetadata> resource = (Class<? extends HasMetadata>) type;
      return new ApiKind(
          group,
          version,
          kind,
          HasMetadata.getPlural(resource),
          Namespaced.class.isAssignableFrom(resource));
    }
    ApiTypes.Type known = types.type(group, kind);
    if (known != null) {
      return new ApiKind(group, version, kind, known.plural(), known.namespaced());
    }
    return new ApiKind(
        group,
        version,
        kind,
        Pluralize.toPlural(kind.toLowerCase(Locale.ROOT)),
        namespacedIfUnknown);
  }

  /** {@code group/version}, or {@code version} for the core group. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The resource name ({@code plural.group}), as in a CRD's name and in RBAC rules. */
  public String resourceName() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** The context Fabric8's generic client needs to list this type without discovery. */
  public ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }

  @Override
  public int compareTo(ApiKind o) {
    int c = apiVersion().compareTo(o.apiVersion());
    return c != 0 ? c : kind.compareTo(o.kind);
  }

  @Override
  public String toString() {
    return kind + " (" + apiVersion() + ")";
  }
}
