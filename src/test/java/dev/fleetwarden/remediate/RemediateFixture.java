package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.ExampleCharts;
import dev.fleetwarden.drift.DiffInput;
import dev.fleetwarden.drift.Differ;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.reconcile.FleetRendererRerender;
import dev.fleetwarden.render.FleetRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.URIish;

/** The remediation fixture fleet, live states derived from its render, and drifts between them. */
final class RemediateFixture {
  /** One renderer for every test of the JVM: Helm runs in-process. */
  static final FleetRenderer RENDERER = new FleetRenderer();

  static final SecretHasher HASHER = SecretHasher.ephemeral();

  static final ClusterRerender RERENDER =
      new FleetRendererRerender(ExampleCharts.rendering(RENDERER));

  private RemediateFixture() {}

  /** The example fleet when this checkout has one, else the fixture of this package. */
  static Path source() {
    try {
      return Path.of(RemediateFixture.class.getResource("fleet/fleet.yaml").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path copy(Path to) {
    return copy(source(), to);
  }

  /**
   * Makes {@code seed} a Git repository with one commit of its files on main and pushes it to a new
   * bare repository at {@code remote}, the fleet remote pull requests push to.
   *
   * @return the commit on main
   */
  static String pushAsRemote(Path seed, Path remote) throws Exception {
    Git.init().setBare(true).setInitialBranch("main").setDirectory(remote.toFile()).call().close();
    try (Git git = Git.init().setInitialBranch("main").setDirectory(seed.toFile()).call()) {
      git.add().addFilepattern(".").call();
      String head =
          git.commit()
              .setMessage("fleet")
              .setAuthor("platform", "platform@example.com")
              .setCommitter("platform", "platform@example.com")
              .setSign(false)
              .call()
              .name();
      git.remoteAdd().setName("origin").setUri(new URIish(remote.toUri().toString())).call();
      git.push().setRemote("origin").add("main").call();
      return head;
    }
  }

  /** Copies the fleet at {@code from} (a plain directory tree) to {@code to}. */
  static Path copy(Path from, Path to) {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path root, String rel) {
    try {
      return Files.readString(root.resolve(rel));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path root, String rel, String content) {
    try {
      Files.createDirectories(root.resolve(rel).getParent());
      Files.writeString(root.resolve(rel), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ClusterRender render(Path root, String cluster) {
    ClusterRender r = RERENDER.render(root, cluster);
    if (r.failed()) {
      throw new AssertionError("fixture does not render: " + r.error());
    }
    return r;
  }

  static DesiredObject object(ClusterRender render, String id) {
    return render.objects().stream()
        .filter(o -> o.id().equals(ResourceId.parse(id)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("not rendered: " + id));
  }

  /**
   * The drift of one object of a cluster whose live copy is the rendered one changed by {@code
   * change}, found by the real drift engine.
   */
  static ObjectDrift drift(Path root, String id, Consumer<ObjectNode> change) {
    ResourceId rid = ResourceId.parse(id);
    ClusterRender render = render(root, rid.cluster());
    List<JsonNode> live = new ArrayList<>();
    for (DesiredObject o : render.objects()) {
      ObjectNode copy = o.manifest().deepCopy();
      if (o.id().equals(rid)) {
        change.accept(copy);
      }
      live.add(copy);
    }
    List<ObjectDrift> drifts =
        new Differ(HASHER).diff(DiffInput.of(rid.cluster(), render.objects(), live));
    if (drifts.size() != 1) {
      throw new AssertionError("expected one drift, got " + drifts);
    }
    return drifts.get(0);
  }

  /** A stable fingerprint for tests: sha-256 of the drift's resource and live values. */
  static String fingerprint(ObjectDrift drift) {
    try {
      StringBuilder sb = new StringBuilder(drift.resource().toString());
      drift.fields().forEach(f -> sb.append('\n').append(f.path()).append('=').append(f.live()));
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes());
      return HexFormat.of().formatHex(hash).substring(0, 32);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds a managedFields entry naming who last wrote {@code fieldsV1}. */
  static void managedBy(ObjectNode live, String manager, String time, String fieldsV1Json) {
    try {
      ObjectNode entry = ((ObjectNode) live.path("metadata")).putArray("managedFields").addObject();
      entry.put("manager", manager);
      entry.put("operation", "Update");
      entry.put("apiVersion", live.path("apiVersion").asText());
      entry.put("time", time);
      entry.put("fieldsType", "FieldsV1");
      entry.set(
          "fieldsV1", new com.fasterxml.jackson.databind.ObjectMapper().readTree(fieldsV1Json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
