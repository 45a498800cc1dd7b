package dev.fleetwarden.drift;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.fleetwarden.model.ApiTypes;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.ValueOrigin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Paired fixtures under {@code cases/<case>/}: {@code desired.yaml} and {@code live.yaml} (several
 * documents each), {@code expected.json} (the expected drifts) and an optional {@code case.yaml}
 * (add-on, source file, value origins, ignore rules, previous render, human-operated field
 * managers). CRDs among the desired and live objects define the list keys of their custom
 * resources, as in the reconciler.
 */
final class DriftFixtures {
  static final String CLUSTER = "test";

  /** The value hash key of every fixture: fixed, so that expected hashes are stable. */
  static final byte[] KEY =
      "fleetwarden-drift-fixtures-key-1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  static final SecretHasher HASHER = new SecretHasher(KEY);
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** The optional settings of a case. */
  record CaseSettings(
      String addon,
      String file,
      Map<String, ValueOrigin> origins,
      List<IgnoreRule> clusterIgnore,
      List<IgnoreRule> addonIgnore,
      List<String> previousRender,
      List<String> humanManagers) {}

  record Case(String name, DiffInput input, JsonNode expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  private DriftFixtures() {}

  static Path casesDir() {
    try {
      return Path.of(DriftFixtures.class.getResource("cases").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Case> all() throws IOException {
    try (Stream<Path> dirs = Files.list(casesDir())) {
      return dirs.filter(Files::isDirectory).sorted().map(DriftFixtures::load).toList().stream();
    }
  }

  static Case load(String name) {
    return load(casesDir().resolve(name));
  }

  static Case load(Path dir) {
    try {
      CaseSettings settings =
          Files.exists(dir.resolve("case.yaml"))
              ? YAML.readValue(dir.resolve("case.yaml").toFile(), CaseSettings.class)
              : null;
      String addon = settings != null && settings.addon() != null ? settings.addon() : "demo";
      String file =
          settings != null && settings.file() != null
              ? settings.file()
              : "addons/demo/templates/objects.yaml";
      Map<String, ValueOrigin> origins =
          settings != null && settings.origins() != null ? settings.origins() : Map.of();
      List<DesiredObject> desired = new ArrayList<>();
      for (JsonNode node : documents(dir.resolve("desired.yaml"))) {
        desired.add(
            new DesiredObject(
                ResourceId.of(CLUSTER, node),
                (ObjectNode) node,
                new Provenance(addon, file, origins)));
      }
      Set<ResourceId> previous = new LinkedHashSet<>();
      if (settings != null && settings.previousRender() != null) {
        settings.previousRender().forEach(id -> previous.add(ResourceId.parse(id)));
      }
      List<JsonNode> live = documents(dir.resolve("live.yaml"));
      List<JsonNode> manifests = new ArrayList<>();
      desired.forEach(d -> manifests.add(d.manifest()));
      // as the reconciler builds them: the CRDs rendered by the fleet, then the cluster's
      ApiTypes types = ApiTypes.builtIn().withCrds(manifests).withCrds(live);
      DiffInput input =
          new DiffInput(
              CLUSTER,
              desired,
              live,
              previous,
              settings == null ? null : settings.clusterIgnore(),
              settings == null || settings.addonIgnore() == null
                  ? null
                  : Map.of(addon, settings.addonIgnore()),
              settings == null || settings.humanManagers() == null
                  ? null
                  : Set.copyOf(settings.humanManagers()),
              types);
      JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
      return new Case(dir.getFileName().toString(), input, expected);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read drift case " + dir, e);
    }
  }

  static List<JsonNode> documents(Path file) throws IOException {
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      return YAML.readValues(parser, new TypeReference<JsonNode>() {}).readAll().stream()
          .filter(n -> n != null && !n.isNull() && !n.isMissingNode())
          .toList();
    }
  }

  /** The drifts as JSON, re-read so numbers compare by their JSON form. */
  static JsonNode toJson(Object drifts) {
    try {
      JsonNode json = JSON.readTree(JSON.writeValueAsString(drifts));
      // Severity is derived from the type (and risk, ranked after the diff): not a diff result.
      if (json.isArray()) {
        json.forEach(d -> ((ObjectNode) d).remove("severity"));
      }
      return json;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
