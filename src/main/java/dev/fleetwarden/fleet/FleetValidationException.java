package dev.fleetwarden.fleet;

import java.util.List;
import java.util.stream.Collectors;

/** The fleet repo is invalid: every problem found, each with its file and line. */
public final class FleetValidationException extends Exception {
  private final List<FleetError> errors;

  public FleetValidationException(List<FleetError> errors) {
    super(
        errors.size()
            + (errors.size() == 1 ? " problem" : " problems")
            + " in the fleet repo:\n"
            + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public FleetValidationException(FleetError error) {
    this(List.of(error));
  }

  public List<FleetError> errors() {
    return errors;
  }
}
