package dev.fleetwarden.schedule;

import dev.fleetwarden.fleet.FleetError;
import java.util.List;
import java.util.stream.Collectors;

/** Schedule files are invalid: every problem found, each with its file and line. */
public final class ScheduleValidationException extends Exception {
  private final List<FleetError> errors;

  public ScheduleValidationException(List<FleetError> errors) {
    super(
        errors.size()
            + (errors.size() == 1 ? " problem" : " problems")
            + " in the schedule files:\n"
            + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<FleetError> errors() {
    return errors;
  }
}
