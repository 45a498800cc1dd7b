package dev.fleetwarden.terraform;

import dev.fleetwarden.cdktf.StackInputs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the Terraform configuration of clusters' stacks to a work directory, one subdirectory per
 * cluster ({@code <workDir>/<cluster>/cdk.tf.json}); the Terraform runner works on those.
 */
public interface StackSynthesizer {

  /** One cluster's stack directory, and whether it was written now ({@code false}: unchanged). */
  record Synthesized(String cluster, Path directory, boolean fresh) {}

  /**
   * Synthesizes the stacks of the given clusters; a cluster whose inputs (and stack code) did not
   * change since the last synthesis keeps its directory untouched. Returns one entry per cluster,
   * keyed by cluster name.
   *
   * @throws SynthesisException naming the cluster whose stack failed
   */
  Map<String, Synthesized> synthesize(List<StackInputs> clusters) throws SynthesisException;

  /** Synthesizes one cluster's stack; see {@link #synthesize(List)}. */
  default Synthesized synthesize(StackInputs cluster) throws SynthesisException {
    return synthesize(List.of(cluster)).get(cluster.cluster());
  }
}
