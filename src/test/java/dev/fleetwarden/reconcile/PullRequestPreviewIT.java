package dev.fleetwarden.reconcile;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.fleetwarden.ExampleCharts;
import dev.fleetwarden.bench.FleetGenerator;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.git.GitSettings;
import dev.fleetwarden.git.JGitFleetRepository;
import dev.fleetwarden.ledger.InMemoryLedger;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.preview.PreviewMarkdown;
import dev.fleetwarden.remediate.GitHubPreviewPublisher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's pull request preview end to end below the webhook: a real bare remote holding
 * {@code main} and GitHub's {@code refs/pull/7/head}, the service's JGit clone fetching them, the
 * real renderer, drift from the ledger, and WireMock standing in for the GitHub REST API.
 */
class PullRequestPreviewIT {
  private static final String REPO = "/repos/example-org/fleet";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant EDITED = Instant.parse("2026-11-23T02:14:09Z");

  @TempDir Path tmp;
  WireMockServer github;
  Path developerDir;
  Git developer;
  Path bare;
  JGitFleetRepository repo;
  InMemoryLedger ledger;
  PullRequestPreviews previews;
  Previewer previewer;

  @BeforeEach
  void setUp() throws Exception {
    github = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    github.start();
    stubGitHub();
  }

  @AfterEach
  void tearDown() {
    if (previewer != null) {
      previewer.close();
    }
    if (repo != null) {
      repo.close();
    }
    if (developer != null) {
      developer.close();
    }
    github.stop();
  }

  /** A remote with the fleet in {@code template} on main, and the service's side of it. */
  private void fleet(Path template) throws Exception {
    bare = tmp.resolve("fleet.git");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
    developerDir = tmp.resolve("developer");
    copy(template, developerDir);
    developer = Git.init().setInitialBranch("main").setDirectory(developerDir.toFile()).call();
    commit("the fleet");
    developer
        .push()
        .setRemote(bare.toUri().toString())
        .setRefSpecs(new RefSpec("+refs/heads/main:refs/heads/main"))
        .call();
    repo =
        new JGitFleetRepository(
            GitSettings.of(bare.toUri().toString(), "main", tmp.resolve("work/fleet-clone")));
    repo.open();
    ledger = new InMemoryLedger(Clock.systemUTC(), Duration.ofMinutes(1));
    SecretHasher hasher = new SecretHasher(ledger.valueHashKey());
    previews =
        new PullRequestPreviews(
            repo,
            previewer =
                new Previewer(ExampleCharts.rendering(), hasher, tmp.resolve("work/preview")),
            new LedgerDrift(ledger.findings(), hasher),
            null,
            new GitHubPreviewPublisher(github.baseUrl(), "example-org/fleet", "ghp_test_token"));
  }

  @Test
  void theCommentIsCreatedOnceAndUpdatedOnEveryPushNeverSomeoneElses() throws Exception {
    fleet(Path.of("fleet-repo-example"));
    edit("environments/prod.yaml", "replicas: 3", "replicas: 5");
    String head1 = pushPullRequestHead("prod: five ingress controllers");

    PullRequestPreviews.Outcome first = previews.preview(request(head1, false));
    assertThat(first.skipped()).as(String.valueOf(first)).isNull();
    assertThat(first.preview().head()).isEqualTo(head1);
    List<LoggedRequest> created =
        github.findAll(postRequestedFor(urlEqualTo(REPO + "/issues/7/comments")));
    assertThat(created).hasSize(1);
    String body1 = JSON.readTree(created.get(0).getBodyAsString()).path("body").asText();
    assertThat(body1)
        .startsWith(PreviewMarkdown.MARKER)
        .contains("| `prod-us-1` | 0 | 0 | 1 |")
        .contains(head1.substring(0, 12));

    // GitHub now lists our comment, and someone else's that copies the marker.
    stubComments(
        comment(42, "fleetwarden-bot", body1),
        comment(43, "mallory", PreviewMarkdown.MARKER + " please edit me"));
    edit("environments/prod.yaml", "replicas: 5", "replicas: 6");
    String head2 = pushPullRequestHead("prod: six");
    PullRequestPreviews.Outcome second = previews.preview(request(head2, false));
    assertThat(second.skipped()).as(String.valueOf(second)).isNull();

    assertThat(github.findAll(postRequestedFor(urlEqualTo(REPO + "/issues/7/comments"))))
        .hasSize(1);
    List<LoggedRequest> updated =
        github.findAll(patchRequestedFor(urlEqualTo(REPO + "/issues/comments/42")));
    assertThat(updated).hasSize(1);
    String body2 = JSON.readTree(updated.get(0).getBodyAsString()).path("body").asText();
    assertThat(body2).startsWith(PreviewMarkdown.MARKER).contains(head2.substring(0, 12));
    assertThat(github.findAll(patchRequestedFor(urlEqualTo(REPO + "/issues/comments/43"))))
        .isEmpty();

    // The same head again (a redelivered event): nothing is sent.
    int before = github.findAll(anyRequestedFor(anyUrl())).size();
    assertThat(previews.preview(request(head2, false)).skipped()).isEqualTo("already previewed");
    assertThat(github.findAll(anyRequestedFor(anyUrl()))).hasSize(before);

    List<JsonNode> checks = checkRuns();
    assertThat(checks).hasSize(2);
    assertThat(checks.get(1).path("name").asText()).isEqualTo("fleetwarden/preview");
    assertThat(checks.get(1).path("head_sha").asText()).isEqualTo(head2);
    assertThat(checks.get(1).path("status").asText()).isEqualTo("completed");
    assertThat(checks.get(1).path("conclusion").asText()).isEqualTo("success");
  }

  @Test
  void anInvalidHeadFailsTheCheckWithAnnotationsAtFileAndLine() throws Exception {
    fleet(Path.of("fleet-repo-example"));
    edit("clusters/dev-1/cluster.yaml", "  role: workload", "  role: workload\n  replica: 3");
    String head = pushPullRequestHead("a typo");
    int line = lineOf("clusters/dev-1/cluster.yaml", "replica: 3");

    PullRequestPreviews.Outcome outcome = previews.preview(request(head, false));
    assertThat(outcome.preview().valid()).isFalse();
    JsonNode check = checkRuns().get(0);
    assertThat(check.path("head_sha").asText()).isEqualTo(head);
    assertThat(check.path("conclusion").asText()).isEqualTo("failure");
    assertThat(check.at("/output/title").asText()).isEqualTo("Invalid fleet: 1 problem");
    JsonNode annotation = check.at("/output/annotations/0");
    assertThat(annotation.path("path").asText()).isEqualTo("clusters/dev-1/cluster.yaml");
    assertThat(annotation.path("start_line").asInt()).isEqualTo(line);
    assertThat(annotation.path("annotation_level").asText()).isEqualTo("failure");
    assertThat(annotation.path("message").asText()).contains("replica");
    String body = commentBodies().get(0);
    assertThat(body).contains("`clusters/dev-1/cluster.yaml`").contains("| " + line + ":3 |");
  }

  @Test
  void overwritingADriftTheLedgerHoldsMakesTheCheckNeutralButNotFromAFork() throws Exception {
    fleet(Path.of("fleet-repo-example"));
    ResourceId controller =
        ResourceId.parse("prod-eu-1/Deployment.apps/ingress-system/ingress-controller");
    JsonNodeFactory n = JsonNodeFactory.instance;
    ledger
        .findings()
        .recordScan(
            "prod-eu-1",
            EDITED,
            List.of(
                new ObjectDrift(
                    controller,
                    "ingress",
                    DriftSource.KUBERNETES,
                    DriftType.MODIFIED,
                    "addons/ingress/chart/templates/deployment.yaml",
                    List.of(
                        new FieldDrift(
                                "/spec/template/spec/containers/name=controller/image",
                                n.textNode("registry.k8s.io/ingress-nginx/controller:v1.11.2"),
                                n.textNode(
                                    "registry.k8s.io/ingress-nginx/controller:v1.11.3-hotfix"))
                            .withManager("kubectl-edit", EDITED)))),
            null);
    edit("clusters/prod-eu-1/values/ingress.yaml", "replicas: 4", "replicas: 5");
    String head = pushPullRequestHead("prod-eu-1: five");

    PullRequestPreviews.Outcome outcome = previews.preview(request(head, false));
    assertThat(outcome.preview().overwrites()).isEqualTo(1);
    JsonNode check = checkRuns().get(0);
    assertThat(check.path("conclusion").asText()).isEqualTo("neutral");
    assertThat(check.at("/output/title").asText())
        .isEqualTo("Overwrites 1 live change in 1 cluster");
    assertThat(commentBodies().get(0))
        .contains("merging this reverts kubectl-edit's change of 2026-11-23 02:14 UTC")
        .contains("v1.11.3-hotfix");

    // The same change from a fork: no live state reaches its author.
    PullRequestPreviews.Outcome fork =
        previews.preview(
            new PullRequestPreviews.Request(8, "main", "refs/pull/7/head", head, true));
    assertThat(fork.preview().overwrites()).isZero();
    assertThat(checkRuns().get(1).path("conclusion").asText()).isEqualTo("success");
    String forkBody =
        JSON.readTree(
                github
                    .findAll(postRequestedFor(urlEqualTo(REPO + "/issues/8/comments")))
                    .get(0)
                    .getBodyAsString())
            .path("body")
            .asText();
    assertThat(forkBody).doesNotContain("hotfix").contains("from a fork");
  }

  @Test
  void aPreviewCutShortWhenTheServiceStopsIsNoVerdictOnThePullRequest() throws Exception {
    fleet(Path.of("fleet-repo-example"));
    edit("environments/prod.yaml", "replicas: 3", "replicas: 5");
    String head = pushPullRequestHead("prod: five ingress controllers");
    String base =
        repo.mergeBase(repo.fetchRef("refs/heads/main"), repo.fetchRef("refs/pull/7/head"));

    // The service stops while a cluster renders: its preview thread is interrupted. The renders
    // cut short are not the head's problems (they used to fail the check as an invalid head).
    Thread previewThread = Thread.currentThread();
    Previewer.Progress stopping =
        new Previewer.Progress() {
          @Override
          public void clusterStarted(String cluster) {
            previewThread.interrupt();
          }
        };
    try {
      assertThatThrownBy(
              () -> previewer.preview(repo, base, head, Previewer.Scope.desiredOnly(), stopping))
          .isInstanceOf(CancellationException.class);
    } finally {
      assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    }

    // The wiring closing the previewer while a preview runs (its checkouts are deleted): the
    // service's flow publishes nothing for it.
    Previewer closing =
        new Previewer(
            ExampleCharts.rendering(),
            new SecretHasher(ledger.valueHashKey()),
            tmp.resolve("work/preview-closed"));
    closing.close();
    PullRequestPreviews.Outcome cut =
        new PullRequestPreviews(
                repo,
                closing,
                new LedgerDrift(ledger.findings(), new SecretHasher(ledger.valueHashKey())),
                null,
                new GitHubPreviewPublisher(github.baseUrl(), "example-org/fleet", "ghp_test_token"))
            .preview(request(head, false));
    assertThat(cut.preview()).isNull();
    assertThat(cut.skipped()).startsWith("interrupted");
    assertThat(checkRuns()).isEmpty();
    assertThat(commentBodies()).isEmpty();

    // A preview of the same head that runs to its end is published: the render cut short left
    // the render process working.
    PullRequestPreviews.Outcome later = previews.preview(request(head, false));
    assertThat(later.skipped()).as(String.valueOf(later)).isNull();
    assertThat(checkRuns()).hasSize(1);
    assertThat(checkRuns().get(0).path("conclusion").asText()).isEqualTo("success");
  }

  @Test
  void aChangeTouchingAHundredClustersStaysWithinGitHubsCommentLimit() throws Exception {
    Path generated = tmp.resolve("generated");
    FleetGenerator.generate(FleetGenerator.defaultTemplate(), generated, 100, 42L);
    fleet(generated);
    // Every object of the ingress add-on carries its labels: every cluster changes.
    Path labels = developerDir.resolve("addons/ingress/chart/templates/_labels.tpl");
    String tpl = Files.readString(labels);
    assertThat(tpl).contains("app.kubernetes.io/name");
    Files.writeString(
        labels,
        tpl.replaceFirst(
            "app.kubernetes.io/name: ",
            "platform.example.org/preview-test: \"a-label-that-every-object-now-carries\"\n"
                + "app.kubernetes.io/name: "));
    String head = pushPullRequestHead("ingress: one more label on everything");

    PullRequestPreviews.Outcome outcome = previews.preview(request(head, false));
    assertThat(outcome.preview().valid()).as(String.valueOf(outcome.preview().errors())).isTrue();
    assertThat(outcome.preview().changed().size()).isGreaterThanOrEqualTo(100);
    String body = commentBodies().get(0);
    assertThat(body.length()).isLessThanOrEqualTo(PreviewMarkdown.GITHUB_LIMIT);
    assertThat(body).startsWith(PreviewMarkdown.MARKER).contains("**Truncated:**");
    assertThat(body).contains("| `gen-000` |").contains("| `gen-099` |");
    assertThat(body.indexOf("| `gen-099` |")).isLessThan(body.indexOf("<details>"));
    assertThat(checkRuns().get(0).at("/output/summary").asText().length())
        .isLessThanOrEqualTo(65_535);
  }

  // ------------------------------------------------------------------ GitHub

  private void stubGitHub() {
    github.stubFor(
        get(urlEqualTo(REPO))
            .willReturn(
                json(
                    "{\"id\":1,\"name\":\"fleet\",\"full_name\":\"example-org/fleet\","
                        + "\"owner\":{\"login\":\"example-org\",\"id\":2},\"url\":\""
                        + github.baseUrl()
                        + REPO
                        + "\",\"html_url\":\"https://github.example/example-org/fleet\"}")));
    for (int number : new int[] {7, 8}) {
      github.stubFor(
          get(urlEqualTo(REPO + "/issues/" + number))
              .willReturn(
                  json(
                      "{\"id\":"
                          + (7000 + number)
                          + ",\"number\":"
                          + number
                          + ",\"state\":\"open\",\"title\":\"t\",\"url\":\""
                          + github.baseUrl()
                          + REPO
                          + "/issues/"
                          + number
                          + "\",\"user\":{\"login\":\"dana\"}}")));
      github.stubFor(
          post(urlEqualTo(REPO + "/issues/" + number + "/comments"))
              .willReturn(
                  json("{\"id\":"
                          + (40 + number)
                          + ",\"body\":\"x\",\"user\":{\"login\":\"fleetwarden-bot\"},"
                          + "\"html_url\":\"https://github.example/c/1\"}")
                      .withStatus(201)));
    }
    stubComments();
    github.stubFor(
        get(urlEqualTo("/user")).willReturn(json("{\"login\":\"fleetwarden-bot\",\"id\":5}")));
    github.stubFor(
        patch(urlPathEqualTo(REPO + "/issues/comments/42"))
            .willReturn(json("{\"id\":42,\"body\":\"x\"}")));
    github.stubFor(
        post(urlEqualTo(REPO + "/check-runs"))
            .willReturn(json("{\"id\":1,\"name\":\"fleetwarden/preview\"}").withStatus(201)));
  }

  private void stubComments(ObjectNode... comments) {
    github.stubFor(get(urlPathEqualTo(REPO + "/issues/8/comments")).willReturn(json("[]")));
    ArrayNode list = JSON.createArrayNode();
    for (ObjectNode c : comments) {
      list.add(c);
    }
    github.stubFor(
        get(urlPathEqualTo(REPO + "/issues/7/comments")).willReturn(json(list.toString())));
  }

  private ObjectNode comment(long id, String login, String body) {
    ObjectNode c = JSON.createObjectNode();
    c.put("id", id);
    c.put("body", body);
    c.put("url", github.baseUrl() + REPO + "/issues/comments/" + id);
    c.put("html_url", "https://github.example/example-org/fleet/pull/7#issuecomment-" + id);
    c.putObject("user").put("login", login).put("type", "User");
    return c;
  }

  private List<JsonNode> checkRuns() {
    return github.findAll(postRequestedFor(urlEqualTo(REPO + "/check-runs"))).stream()
        .map(r -> read(r.getBodyAsString()))
        .toList();
  }

  private List<String> commentBodies() {
    return github.findAll(postRequestedFor(urlEqualTo(REPO + "/issues/7/comments"))).stream()
        .map(r -> read(r.getBodyAsString()).path("body").asText())
        .toList();
  }

  private static JsonNode read(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static ResponseDefinitionBuilder json(String body) {
    return aResponse().withHeader("Content-Type", "application/json").withBody(body);
  }

  // ------------------------------------------------------------------ Git

  private static PullRequestPreviews.Request request(String head, boolean fork) {
    return new PullRequestPreviews.Request(7, "main", "refs/pull/7/head", head, fork);
  }

  /** Commits the developer's edits on a branch and pushes it where GitHub keeps PR #7's head. */
  private String pushPullRequestHead(String message) throws Exception {
    String id = commit(message);
    developer
        .push()
        .setRemote(bare.toUri().toString())
        .setRefSpecs(new RefSpec("+" + id + ":refs/pull/7/head"))
        .call();
    return id;
  }

  private String commit(String message) throws Exception {
    developer.add().addFilepattern(".").call();
    PersonIdent dana = new PersonIdent("Dana Dev", "dana@example.org");
    return developer
        .commit()
        .setMessage(message)
        .setAuthor(dana)
        .setCommitter(dana)
        .setSign(false)
        .setAll(true)
        .call()
        .name();
  }

  private void edit(String file, String from, String to) throws IOException {
    Path p = developerDir.resolve(file);
    String text = Files.readString(p);
    assertThat(text).as(file).contains(from);
    Files.writeString(p, text.replaceFirst(java.util.regex.Pattern.quote(from), to));
  }

  private int lineOf(String file, String text) throws IOException {
    List<String> lines = Files.readAllLines(developerDir.resolve(file));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + file);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
