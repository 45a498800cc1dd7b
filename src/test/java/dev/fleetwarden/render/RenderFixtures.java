package dev.fleetwarden.render;

import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies test fleets into scratch directories and loads them. */
final class RenderFixtures {
  private RenderFixtures() {}

  /** The render fixture fleet ({@code src/test/resources/dev/fleetwarden/render/fleet}). */
  static Path fixtureFleet() {
    try {
      return Path.of(RenderFixtures.class.getResource("fleet/fleet.yaml").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The example fleet of the project, or null when this checkout has none. */
  static Path exampleFleet() {
    Path p = Path.of("fleet-repo-example").toAbsolutePath();
    return Files.isRegularFile(p.resolve("fleet.yaml")) ? p : null;
  }

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

  static Fleet load(Path root) {
    try {
      return FleetLoader.load(root);
    } catch (FleetValidationException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
