package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.cdktf.StackInputs;

/**
 * Synthesizes one cluster's infrastructure stack to Terraform JSON, so that a candidate change of
 * its {@code infrastructure} inputs can be checked before it becomes a pull request.
 */
public interface StackRerender {
  /** Why a stack could not be synthesized. */
  final class StackException extends Exception {
    public StackException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The Terraform JSON ({@code cdk.tf.json}) of the stack these inputs build. */
  JsonNode synthesize(StackInputs inputs) throws StackException;
}
