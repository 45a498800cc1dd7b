package dev.fleetwarden.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One drifted field: its JSON pointer in the object (Terraform: in the resource's attributes), the
 * desired and live values (masked for Secrets and sensitive attributes, null when absent), and when
 * the live object carries {@code managedFields}, the field manager and time that last wrote it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldDrift(
    String path,
    JsonNode desired,
    JsonNode live,
    String manager,
    Instant time,
    ValueOrigin origin) {

  /**
   * How a masked Secret value starts: {@code hmac:} and a keyed hash prefix. Sinks show such a
   * value as is and hide anything else found in a Secret.
   */
  public static final String SECRET_HASH_PREFIX = "hmac:";

  /** A Terraform attribute's value when the provider marks it sensitive: never the value itself. */
  public static final String SENSITIVE = "(sensitive)";

  /** A Terraform attribute's value when Terraform knows it only after apply. */
  public static final String KNOWN_AFTER_APPLY = "(known after apply)";

  public FieldDrift(String path, JsonNode desired, JsonNode live) {
    this(path, desired, live, null, null, null);
  }

  /**
   * Whether this entry stands for the whole object (path {@code ""}): an object created by hand,
   * reported with its creator and time but not its content.
   */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isWholeObject() {
    return path != null && path.isEmpty();
  }

  public FieldDrift withManager(String newManager, Instant newTime) {
    return new FieldDrift(path, desired, live, newManager, newTime, origin);
  }

  public FieldDrift withOrigin(ValueOrigin newOrigin) {
    return new FieldDrift(path, desired, live, manager, time, newOrigin);
  }
}
