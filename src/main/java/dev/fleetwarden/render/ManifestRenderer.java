package dev.fleetwarden.render;

import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a folder of plain manifests: every {@code *.yaml} / {@code *.yml} file below it, in sorted
 * path order, multi-document, with {@code kind: List} expanded. Each object's source is its file.
 */
public final class ManifestRenderer {

  List<RenderedDocument> render(Path repoRoot, String dirRel, String addon) throws RenderException {
    Path dir = repoRoot.resolve(dirRel);
    if (!Files.isDirectory(dir)) {
      throw new RenderException(
          addon,
          dirRel,
          0,
          "manifest folder " + dirRel + " does not exist; create it or fix source.manifests.path");
    }
    List<String> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files =
          walk.filter(Files::isRegularFile)
              .map(p -> repoRoot.relativize(p).toString().replace('\\', '/'))
              .filter(p -> p.endsWith(".yaml") || p.endsWith(".yml"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new RenderException(addon, dirRel, 0, "cannot list manifests: " + e.getMessage());
    }
    List<RenderedDocument> out = new ArrayList<>();
    for (String file : files) {
      String content;
      try {
        content = Files.readString(repoRoot.resolve(file));
      } catch (IOException e) {
        throw new RenderException(addon, file, 0, "cannot read the manifest: " + e.getMessage());
      }
      List<LocatedYaml.Document> docs;
      try {
        docs = LocatedYaml.parseAll(file, content);
      } catch (FleetValidationException e) {
        FleetError err = e.errors().get(0);
        throw new RenderException(addon, file, err.line(), err.message());
      }
      for (LocatedYaml.Document d : docs) {
        ObjectDocuments.add(d.root(), file, addon, d.lineOf(""), out);
      }
    }
    return out;
  }
}
