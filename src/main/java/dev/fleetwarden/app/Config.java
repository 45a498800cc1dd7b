package dev.fleetwarden.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one configuration object, built once at startup from (lowest to highest precedence) the
 * defaults, the YAML config file, and environment variables. Immutable. {@link #fromFile} was given
 * a file or not: {@link #hasFile()} tells whether fleetwarden runs on the embedded defaults.
 */
public final class Config {
  private final Map<Setting, String> values;
  private final boolean hasFile;

  private Config(Map<Setting, String> values, boolean hasFile) {
    this.values = Map.copyOf(values);
    this.hasFile = hasFile;
  }

  /** Defaults and environment only. */
  public static Config defaults(Map<String, String> env) {
    return build(null, env);
  }

  /**
   * Reads the file (null: none) and the environment; unknown keys are errors with file and line.
   */
  public static Config fromFile(Path file, Map<String, String> env)
      throws FleetValidationException {
    if (file == null) {
      return build(null, env);
    }
    String content = RepoFiles.readOperatorFile(file);
    LocatedYaml.Document doc = LocatedYaml.parse(file.toString(), content);
    Map<String, String> flat = new java.util.LinkedHashMap<>();
    flatten(doc.root(), "", flat);
    Set<String> known = new HashSet<>();
    for (Setting s : Setting.values()) {
      known.add(s.key());
    }
    List<FleetError> errors = new ArrayList<>();
    for (String key : flat.keySet()) {
      if (!known.contains(key)) {
        errors.add(
            doc.error(
                "/" + key.replace(".", "/"),
                "unknown config key '" + key + "'; see the configuration table in the README"));
      }
    }
    if (!errors.isEmpty()) {
      throw new FleetValidationException(errors);
    }
    Map<Setting, String> fromFile = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      if (flat.containsKey(s.key())) {
        fromFile.put(s, flat.get(s.key()));
      }
    }
    Config c = build(fromFile, env);
    return new Config(c.values, true);
  }

  private static Config build(Map<Setting, String> fromFile, Map<String, String> env) {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      String v = s.defaultValue();
      if (fromFile != null && fromFile.containsKey(s)) {
        v = fromFile.get(s);
      }
      String e = env.get(s.env());
      if (e != null && !e.isEmpty()) {
        v = e;
      }
      values.put(s, v);
    }
    return new Config(values, false);
  }

  private static void flatten(JsonNode node, String prefix, Map<String, String> out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e ->
                  flatten(
                      e.getValue(),
                      prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                      out));
    } else if (!node.isNull() && !prefix.isEmpty()) {
      out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
    }
  }

  /** This configuration with one setting replaced (a command's option over the config). */
  public Config with(Setting s, String value) {
    Map<Setting, String> changed = new EnumMap<>(values);
    changed.put(s, value);
    return new Config(changed, hasFile);
  }

  /** Whether a config file was given (else: embedded defaults). */
  public boolean hasFile() {
    return hasFile;
  }

  public String get(Setting s) {
    return values.get(s);
  }

  /** The value, or empty when blank. */
  public Optional<String> optional(Setting s) {
    String v = values.get(s);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
  }

  public int getInt(Setting s) {
    try {
      return Integer.parseInt(values.get(s).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          s.key() + " (" + s.env() + ") must be a number, not '" + values.get(s) + "'");
    }
  }

  public boolean getBool(Setting s) {
    return Boolean.parseBoolean(values.get(s).trim());
  }

  public Path path(Setting s) {
    return Path.of(values.get(s));
  }

  /**
   * Reads a secret named by a pair of settings (a file, or an environment variable name); empty
   * when neither is set. The value is never logged.
   */
  public Optional<String> secret(Setting file, Setting envName, Map<String, String> env) {
    Optional<String> f = optional(file);
    if (f.isPresent()) {
      try {
        return Optional.of(Files.readString(Path.of(f.get())).strip());
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read " + file.key() + " file " + f.get() + ": " + e.getMessage());
      }
    }
    return optional(envName).map(env::get).filter(v -> !v.isBlank());
  }
}
