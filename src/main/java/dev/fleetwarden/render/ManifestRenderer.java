package dev.fleetwarden.render;

import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    List<RenderedDocument> out = new ArrayList<>();
    try {
      for (String file : RepoFiles.regularFiles(repoRoot, dirRel)) {
        if (!file.endsWith(".yaml") && !file.endsWith(".yml")) {
          continue;
        }
        List<LocatedYaml.Document> docs =
            LocatedYaml.parseAll(file, RepoFiles.read(repoRoot, file));
        for (LocatedYaml.Document d : docs) {
          ObjectDocuments.add(d.root(), file, addon, d.lineOf(""), out);
        }
      }
    } catch (FleetValidationException e) {
      FleetError err = e.errors().get(0);
      throw new RenderException(addon, err.file(), err.line(), err.message());
    }
    return out;
  }
}
