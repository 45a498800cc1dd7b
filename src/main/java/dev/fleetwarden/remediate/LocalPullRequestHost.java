package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Pull requests kept as Markdown files in a directory, for the embedded defaults and the demo: a
 * newcomer sees the description a reviewer would get next to the branch in the local clone. Each
 * pull request's state (number, head branch, open or closed) sits beside it in {@code pr-N.json},
 * written atomically, so a restarted service finds the pull requests it opened, as on GitHub.
 */
public final class LocalPullRequestHost implements PullRequestHost {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Map<Integer, PullRequest> pulls = new LinkedHashMap<>();

  public LocalPullRequestHost(Path dir) {
    this.dir = dir;
    load();
  }

  private void load() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().matches("pr-\\d+\\.json")).toList()) {
        JsonNode n = JSON.readTree(Files.readString(f));
        PullRequest pr =
            new PullRequest(
                n.path("number").asInt(),
                n.path("url").asText(),
                Status.valueOf(n.path("status").asText()),
                n.path("headBranch").asText());
        pulls.put(pr.number(), pr);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "cannot read the local pull requests in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void save(PullRequest pr) {
    ObjectNode n = JSON.createObjectNode();
    n.put("number", pr.number());
    n.put("url", pr.url());
    n.put("status", pr.status().name());
    n.put("headBranch", pr.headBranch());
    Path file = dir.resolve("pr-" + pr.number() + ".json");
    Path tmp = dir.resolve("pr-" + pr.number() + ".json.tmp");
    try {
      Files.createDirectories(dir);
      Files.writeString(tmp, n.toString());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    pulls.put(pr.number(), pr);
  }

  @Override
  public synchronized Optional<PullRequest> findOpen(String headBranch) {
    return pulls.values().stream()
        .filter(p -> p.status() == Status.OPEN && p.headBranch().equals(headBranch))
        .findFirst();
  }

  @Override
  public synchronized PullRequest create(NewPullRequest request) {
    int number = pulls.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    Path file = dir.resolve("pr-" + number + ".md");
    PullRequest pr =
        new PullRequest(number, file.toUri().toString(), Status.OPEN, request.headBranch());
    write(
        file,
        "# "
            + request.title()
            + "\n\n"
            + request.headBranch()
            + " → "
            + request.baseBranch()
            + (request.labels().isEmpty() ? "" : "  labels: " + String.join(", ", request.labels()))
            + "\n\n"
            + request.body()
            + "\n");
    save(pr);
    return pr;
  }

  @Override
  public synchronized void comment(int number, String body) {
    append(number, "\n---\ncomment: " + body + "\n");
  }

  @Override
  public synchronized void close(int number, String comment) {
    append(number, "\n---\nclosed: " + comment + "\n");
    PullRequest p = pulls.get(number);
    save(new PullRequest(number, p.url(), Status.CLOSED, p.headBranch()));
  }

  @Override
  public synchronized PullRequest get(int number) throws HostException {
    PullRequest pr = pulls.get(number);
    if (pr == null) {
      throw new HostException(
          "no pull request #" + number + " in " + dir + " (its files were deleted?)", null);
    }
    return pr;
  }

  private void append(int number, String text) {
    Path file = dir.resolve("pr-" + number + ".md");
    try {
      Files.writeString(file, text, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
