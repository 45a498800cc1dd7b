package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.CheckRun;
import dev.fleetwarden.remediate.PullRequestHost.HostException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@link PreviewPublisher} beside the local pull requests of the embedded defaults ({@link
 * LocalPullRequestHost}): the comment is {@code pr-N-preview.md}, replaced on every preview, and
 * the last check run of each commit {@code check-<commit>.json}.
 */
public final class LocalPreviewPublisher implements PreviewPublisher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  public LocalPreviewPublisher(Path dir) {
    this.dir = dir;
  }

  @Override
  public synchronized String upsertComment(int number, String marker, String body)
      throws HostException {
    Path file = dir.resolve("pr-" + number + "-preview.md");
    write(file, body);
    return file.toUri().toString();
  }

  @Override
  public synchronized void publishCheck(String commit, CheckRun run) throws HostException {
    if (!commit.matches("[0-9a-f]{40}")) {
      throw new HostException("not a commit id: " + commit, null);
    }
    ObjectNode n = JSON.createObjectNode();
    n.put("name", run.name());
    n.put("commit", commit);
    n.put("conclusion", run.conclusion().name().toLowerCase(java.util.Locale.ROOT));
    n.put("title", run.title());
    n.put("summary", run.summary());
    ArrayNode annotations = n.putArray("annotations");
    for (CheckRun.Annotation a : run.annotations()) {
      annotations
          .addObject()
          .put("file", a.file())
          .put("line", a.line())
          .put("column", a.column())
          .put("message", a.message())
          .put("level", a.failure() ? "failure" : "warning");
    }
    write(dir.resolve("check-" + commit + ".json"), n.toPrettyString());
  }

  private static void write(Path file, String text) throws HostException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new HostException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
