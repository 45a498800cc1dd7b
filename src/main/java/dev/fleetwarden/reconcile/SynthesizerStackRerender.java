package dev.fleetwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.cdktf.StackInputs;
import dev.fleetwarden.remediate.StackRerender;
import dev.fleetwarden.terraform.StackSynthesizer;
import java.io.IOException;

/**
 * {@link StackRerender} over a {@link StackSynthesizer} that writes to a scratch work directory of
 * its own (never the one Terraform plans in: a candidate must not replace a checked stack).
 */
public final class SynthesizerStackRerender implements StackRerender {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final StackSynthesizer synthesizer;

  public SynthesizerStackRerender(StackSynthesizer synthesizer) {
    this.synthesizer = synthesizer;
  }

  @Override
  public JsonNode synthesize(StackInputs inputs) throws StackException {
    try {
      StackSynthesizer.Synthesized s = synthesizer.synthesize(inputs);
      return JSON.readTree(s.directory().resolve("cdk.tf.json").toFile());
    } catch (IOException | RuntimeException e) {
      throw new StackException(inputs.cluster() + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new StackException(String.valueOf(e.getMessage()), e);
    }
  }
}
