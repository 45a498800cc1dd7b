package dev.fleetwarden.reconcile;

import dev.fleetwarden.git.FleetRepository;
import dev.fleetwarden.model.CheckRun;
import dev.fleetwarden.model.MarkdownText;
import dev.fleetwarden.preview.Preview;
import dev.fleetwarden.preview.PreviewCheck;
import dev.fleetwarden.preview.PreviewMarkdown;
import dev.fleetwarden.remediate.PreviewPublisher;
import dev.fleetwarden.remediate.PullRequestHost.HostException;
import dev.fleetwarden.remediate.StackRerender;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The preview of a fleet pull request, from the service: fetch the pull request's head and its base
 * branch → preview the head against their merge base (what the pull request changes, as GitHub's
 * diff shows it) with the live drift of the service's ledger → write the one comment → record the
 * check run. A pull request from a fork is previewed without live state: its author need not be
 * someone who may read the clusters. The same head and base are previewed once.
 */
public final class PullRequestPreviews {
  private static final Logger LOG = LoggerFactory.getLogger(PullRequestPreviews.class);
  private static final int REMEMBERED = 1000;

  /**
   * A pull request to preview.
   *
   * @param baseBranch the branch it merges into
   * @param headRef the remote ref holding its head ({@code refs/pull/7/head}, or a branch of the
   *     repository for fleetwarden's own pull requests)
   * @param headCommit the head commit the event named (the check run goes there if fetching fails)
   * @param fromFork whether the head lives in another repository
   */
  public record Request(
      int number, String baseBranch, String headRef, String headCommit, boolean fromFork) {}

  /** What was done: the preview (null when it failed), or why nothing was posted. */
  public record Outcome(int number, Preview preview, String commentUrl, String skipped) {}

  private final FleetRepository repo;
  private final Previewer previewer;
  private final LiveComparison live;
  private final StackRerender stacks;
  private final PreviewPublisher publisher;
  private final Map<String, Boolean> done =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      };

  /**
   * @param live the ledger's drift (null: live state is not compared)
   * @param stacks Terraform synthesis (null: Terraform is not previewed)
   */
  public PullRequestPreviews(
      FleetRepository repo,
      Previewer previewer,
      LiveComparison live,
      StackRerender stacks,
      PreviewPublisher publisher) {
    this.repo = repo;
    this.previewer = previewer;
    this.live = live;
    this.stacks = stacks;
    this.publisher = publisher;
  }

  /** Previews one pull request and publishes the result; failures are logged, never thrown. */
  public synchronized Outcome preview(Request r) {
    MDC.put("pullRequest", Integer.toString(r.number()));
    try {
      String head;
      String base;
      try {
        head = repo.fetchRef(r.headRef());
        String baseTip = repo.fetchRef("refs/heads/" + r.baseBranch());
        base = repo.mergeBase(baseTip, head);
        if (base == null) {
          throw new IllegalStateException(
              "the head shares no history with " + r.baseBranch() + "; nothing to compare");
        }
      } catch (RuntimeException e) {
        if (stopped(e)) {
          return interrupted(r);
        }
        return failed(r, r.headCommit(), "cannot fetch the pull request: " + e.getMessage());
      }
      String key = r.number() + "@" + base + ".." + head;
      if (done.get(key) != null) {
        return new Outcome(r.number(), null, null, "already previewed");
      }
      Preview preview;
      try {
        preview =
            previewer.preview(
                repo,
                base,
                head,
                new Previewer.Scope(
                    List.of(),
                    r.fromFork() ? null : live,
                    r.fromFork() ? "not compared: the pull request comes from a fork" : null,
                    stacks),
                null);
      } catch (RuntimeException e) {
        if (stopped(e)) {
          return interrupted(r);
        }
        LOG.warn("preview of pull request #{} failed: {}", r.number(), e.toString());
        return failed(r, head, "the preview failed: " + e.getMessage());
      }
      String url;
      try {
        url =
            publisher.upsertComment(
                r.number(),
                PreviewMarkdown.MARKER,
                PreviewMarkdown.comment(preview, PreviewMarkdown.GITHUB_LIMIT, footer(r, preview)));
        publisher.publishCheck(preview.head(), PreviewCheck.of(preview));
      } catch (HostException | RuntimeException e) {
        LOG.warn("publishing the preview of pull request #{} failed: {}", r.number(), e.toString());
        return new Outcome(r.number(), preview, null, "not published: " + e.getMessage());
      }
      done.put(key, Boolean.TRUE);
      LOG.info(
          "previewed pull request #{} ({}..{}): {} cluster(s) change, {} live change(s)"
              + " overwritten, exit {}",
          r.number(),
          base.substring(0, 10),
          head.substring(0, 10),
          preview.changed().size(),
          preview.overwrites(),
          preview.exitCode());
      return new Outcome(r.number(), preview, url, null);
    } finally {
      MDC.remove("pullRequest");
    }
  }

  /**
   * Whether a failure comes from this thread being interrupted (the service is stopping) rather
   * than from the pull request: renders and fetches cut short say nothing about the change.
   */
  private static boolean stopped(RuntimeException e) {
    return e instanceof CancellationException || Thread.currentThread().isInterrupted();
  }

  /**
   * Nothing is published for a preview cut short, and it is not remembered as done: a failure check
   * run would blame the pull request for the service stopping.
   */
  private static Outcome interrupted(Request r) {
    LOG.info("preview of pull request #{} cut short (stopping); nothing published", r.number());
    return new Outcome(r.number(), null, null, "interrupted: the service is stopping");
  }

  /** A check run saying the preview could not be made; the comment is left as it was. */
  private Outcome failed(Request r, String commit, String reason) {
    LOG.warn("pull request #{}: {}", r.number(), reason);
    if (commit != null && commit.matches("[0-9a-f]{40}")) {
      try {
        publisher.publishCheck(
            commit,
            new CheckRun(
                PreviewCheck.NAME,
                CheckRun.Conclusion.NEUTRAL,
                "fleetwarden could not preview this pull request",
                MarkdownText.text(reason),
                List.of()));
      } catch (HostException | RuntimeException e) {
        LOG.warn("pull request #{}: the check run failed too: {}", r.number(), e.toString());
      }
    }
    return new Outcome(r.number(), null, null, reason);
  }

  private static String footer(Request r, Preview p) {
    return "<sub>fleetwarden compared "
        + MarkdownText.code(p.head().substring(0, 12))
        + " with its merge base on "
        + MarkdownText.code(r.baseBranch())
        + " ("
        + MarkdownText.code(p.base().substring(0, 12))
        + ")"
        + (r.fromFork()
            ? "; live state is not shown for pull requests from forks"
            : "; live drift as of the service's last scans")
        + ". Run <code>fleetwarden preview --base "
        + p.base().substring(0, 12)
        + " --head "
        + p.head().substring(0, 12)
        + "</code> for the same report on your machine. This comment is updated on every"
        + " push.</sub>";
  }
}
