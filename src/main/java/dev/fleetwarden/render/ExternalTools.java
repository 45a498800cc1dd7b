package dev.fleetwarden.render;

import java.util.List;

/**
 * The external programs fleetwarden runs, named in one place so that the container image ({@code
 * deploy/Dockerfile}) can be checked against them.
 */
public final class ExternalTools {
  /** Builds Kustomize directories ({@code kustomize build}); preferred over {@link #KUBECTL}. */
  public static final String KUSTOMIZE = "kustomize";

  /** Fallback Kustomize builder ({@code kubectl kustomize}) when {@link #KUSTOMIZE} is absent. */
  public static final String KUBECTL = "kubectl";

  /** Plans the cloud infrastructure ({@code terraform plan}). */
  public static final String TERRAFORM = "terraform";

  /** Runs the jsii runtime behind the CDK for Terraform synthesis. */
  public static final String NODE = "node";

  /** The Kustomize builders, in the order they are looked up on {@code PATH}. */
  public static final List<String> KUSTOMIZE_BUILDERS = List.of(KUSTOMIZE, KUBECTL);

  /**
   * What the container image must install for rendering and the infrastructure check: the preferred
   * Kustomize builder, Terraform and Node.
   */
  public static final List<String> IN_IMAGE = List.of(KUSTOMIZE, TERRAFORM, NODE);

  private ExternalTools() {}
}
