package dev.fleetwarden.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.fleetwarden.demo.DemoDrift;
import dev.fleetwarden.preview.PreviewMarkdown;
import dev.fleetwarden.server.WebhookSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running service previews pull requests: those GitHub announces with a signed {@code
 * pull_request} webhook (fleetwarden's own included), and on the embedded defaults, where no
 * webhook comes, those it opens itself.
 */
class PullRequestPreviewServiceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REPO = "/repos/example-org/fleet";
  private static final String SECRET = "s3cret-for-previews";

  @TempDir Path tmp;

  @Test
  void aSignedPullRequestWebhookGetsItsCommentAndCheckRun() throws Exception {
    WireMockServer github = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    github.start();
    try {
      stubGitHub(github);
      Path work = tmp.resolve("work");
      Config config =
          Config.defaults(Map.of())
              .with(Setting.WORK_DIR, work.toString())
              .with(Setting.FLEET_REPO, "fleet-repo-example")
              .with(Setting.SCHEDULES_DIR, Files.createDirectories(tmp.resolve("s")).toString())
              .with(Setting.GITHUB_API_URL, github.baseUrl())
              .with(Setting.GITHUB_TOKEN_ENV, "TEST_GITHUB_TOKEN")
              .with(Setting.WEBHOOK_SECRET_ENV, "TEST_WEBHOOK_SECRET");
      Map<String, String> env =
          Map.of("TEST_GITHUB_TOKEN", "ghp_for_tests", "TEST_WEBHOOK_SECRET", SECRET);
      try (Service service = Service.start(config, 0, env)) {
        waitFor(() -> service.fleetService().ready(), "the first render");
        String head =
            pushPullRequestHead(
                work.resolve("fleet-origin"),
                "environments/prod.yaml",
                "replicas: 3",
                "replicas: 5");

        String event =
            """
            {"action":"opened","number":7,
             "pull_request":{"number":7,
               "base":{"ref":"main","sha":"%s"},
               "head":{"ref":"fleetwarden/drift/x","sha":"%s",
                       "repo":{"full_name":"example-org/fleet"}}},
             "repository":{"full_name":"example-org/fleet"},
             "sender":{"login":"fleetwarden[bot]"}}
            """
                .formatted(service.fleetService().revision(), head);
        HttpResponse<String> res = webhook(service.httpPort(), event, "pr-7-opened");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(202);

        waitFor(
            () -> !github.findAll(postRequestedFor(urlEqualTo(REPO + "/check-runs"))).isEmpty(),
            "the check run");
        JsonNode check =
            JSON.readTree(
                github
                    .findAll(postRequestedFor(urlEqualTo(REPO + "/check-runs")))
                    .get(0)
                    .getBodyAsString());
        assertThat(check.path("name").asText()).isEqualTo("fleetwarden/preview");
        assertThat(check.path("head_sha").asText()).isEqualTo(head);
        assertThat(check.path("conclusion").asText()).isEqualTo("success");
        String comment =
            JSON.readTree(
                    github
                        .findAll(postRequestedFor(urlEqualTo(REPO + "/issues/7/comments")))
                        .get(0)
                        .getBodyAsString())
                .path("body")
                .asText();
        assertThat(comment)
            .startsWith(PreviewMarkdown.MARKER)
            .contains("| `prod-us-1` | 0 | 0 | 1 |")
            .contains("`/spec/replicas` | `3` | `5`");

        // A pull request of another repository with the same secret is not ours to preview.
        String other = event.replace("\"example-org/fleet\"}", "\"someone/else\"}");
        assertThat(webhook(service.httpPort(), other, "pr-other").statusCode()).isEqualTo(202);
        Thread.sleep(1000);
        assertThat(github.findAll(postRequestedFor(urlEqualTo(REPO + "/check-runs")))).hasSize(1);
      }
    } finally {
      github.stop();
    }
  }

  @Test
  void onTheEmbeddedDefaultsThePullRequestsFleetwardenOpensArePreviewedToo() throws Exception {
    Path work = tmp.resolve("work");
    Config config =
        Config.defaults(Map.of())
            .with(Setting.WORK_DIR, work.toString())
            .with(Setting.FLEET_REPO, "fleet-repo-example")
            .with(Setting.SCHEDULES_DIR, Files.createDirectories(tmp.resolve("s")).toString());
    try (Service service = Service.start(config, 0, Map.of())) {
      waitFor(() -> service.fleetService().ready(), "the first render");
      new DemoDrift(service.embeddedClusters(), Clock.systemUTC()).applyAll();
      service.fleetService().scanAll(4, r -> {});
      Path prs = work.resolve("pull-requests");
      waitFor(() -> Files.exists(prs.resolve("pr-1-preview.md")), "the preview of pr-1");
      waitFor(
          () -> count(prs, "check-.*") >= Math.max(1, count(prs, "pr-\\d+\\.json")),
          "a check run of each pull request");
    }
    // Stopping the service cut no preview short into a verdict: every check run is one of a
    // finished preview, and each remediation pull request adopts what it was opened for.
    Path prs = work.resolve("pull-requests");
    long opened = count(prs, "pr-\\d+\\.json");
    assertThat(count(prs, "check-.*")).isEqualTo(opened);
    for (int n = 1; n <= opened; n++) {
      String preview = Files.readString(prs.resolve("pr-" + n + "-preview.md"));
      assertThat(preview).startsWith(PreviewMarkdown.MARKER).contains("prod-eu-1");
      // A remediation pull request adopts the live values it was opened for.
      assertThat(preview)
          .contains("**Adopts live drift**")
          .doesNotContain("**Overwrites live drift**");
    }
    try (Stream<Path> files = Files.list(prs)) {
      for (Path check :
          files.filter(p -> p.getFileName().toString().startsWith("check-")).toList()) {
        JsonNode run = JSON.readTree(check.toFile());
        assertThat(run.path("name").asText()).isEqualTo("fleetwarden/preview");
        assertThat(run.path("conclusion").asText()).as(run.toString()).isEqualTo("success");
      }
    }
  }

  private static long count(Path dir, String fileName) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().matches(fileName)).count();
    }
  }

  /** A developer's commit pushed where GitHub keeps pull request #7's head. */
  private String pushPullRequestHead(Path origin, String file, String from, String to)
      throws Exception {
    Path dev = tmp.resolve("developer");
    try (Git git =
        Git.cloneRepository().setURI(origin.toUri().toString()).setDirectory(dev.toFile()).call()) {
      Path p = dev.resolve(file);
      Files.writeString(p, Files.readString(p).replaceFirst(from, to));
      PersonIdent dana = new PersonIdent("Dana Dev", "dana@example.org");
      String id =
          git.commit()
              .setAll(true)
              .setMessage("prod: five ingress controllers")
              .setAuthor(dana)
              .setCommitter(dana)
              .setSign(false)
              .call()
              .name();
      git.push().setRefSpecs(new RefSpec("+" + id + ":refs/pull/7/head")).call();
      return id;
    }
  }

  private static HttpResponse<String> webhook(int port, String body, String delivery)
      throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/github"))
                .header("X-GitHub-Event", "pull_request")
                .header("X-GitHub-Delivery", delivery)
                .header(WebhookSignature.HEADER, WebhookSignature.sign(SECRET, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static void stubGitHub(WireMockServer github) {
    github.stubFor(
        get(urlEqualTo(REPO))
            .willReturn(
                json(
                    "{\"id\":1,\"name\":\"fleet\",\"full_name\":\"example-org/fleet\","
                        + "\"owner\":{\"login\":\"example-org\",\"id\":2},\"url\":\""
                        + github.baseUrl()
                        + REPO
                        + "\"}")));
    github.stubFor(
        get(urlEqualTo(REPO + "/issues/7"))
            .willReturn(
                json(
                    "{\"id\":7007,\"number\":7,\"state\":\"open\",\"title\":\"t\",\"url\":\""
                        + github.baseUrl()
                        + REPO
                        + "/issues/7\"}")));
    github.stubFor(get(urlPathEqualTo(REPO + "/issues/7/comments")).willReturn(json("[]")));
    github.stubFor(
        post(urlEqualTo(REPO + "/issues/7/comments"))
            .willReturn(json("{\"id\":42,\"body\":\"x\"}").withStatus(201)));
    github.stubFor(
        post(urlEqualTo(REPO + "/check-runs")).willReturn(json("{\"id\":1}").withStatus(201)));
  }

  private static ResponseDefinitionBuilder json(String body) {
    return aResponse().withHeader("Content-Type", "application/json").withBody(body);
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  private static void waitFor(Condition condition, String what) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (!condition.holds()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
