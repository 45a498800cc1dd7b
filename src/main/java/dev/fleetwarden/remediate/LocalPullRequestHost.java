package dev.fleetwarden.remediate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pull requests kept as Markdown files in a directory, for the embedded defaults and the demo: a
 * newcomer sees the description a reviewer would get next to the branch in the local clone.
 */
public final class LocalPullRequestHost implements PullRequestHost {
  private final Path dir;
  private final Map<Integer, PullRequest> pulls = new LinkedHashMap<>();

  public LocalPullRequestHost(Path dir) {
    this.dir = dir;
  }

  @Override
  public synchronized Optional<PullRequest> findOpen(String headBranch) {
    return pulls.values().stream()
        .filter(p -> p.status() == Status.OPEN && p.headBranch().equals(headBranch))
        .findFirst();
  }

  @Override
  public synchronized PullRequest create(NewPullRequest request) {
    int number = pulls.size() + 1;
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
    pulls.put(number, pr);
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
    pulls.put(number, new PullRequest(number, p.url(), Status.CLOSED, p.headBranch()));
  }

  @Override
  public synchronized PullRequest get(int number) {
    return pulls.get(number);
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
