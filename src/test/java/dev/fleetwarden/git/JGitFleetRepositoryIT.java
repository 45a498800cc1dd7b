package dev.fleetwarden.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clone, fetch, diff, export and push against a real bare repo over file://. */
class JGitFleetRepositoryIT {
  @TempDir Path tmp;
  RemoteFixture remote;
  String first;

  @BeforeEach
  void setUp() throws Exception {
    remote = new RemoteFixture(tmp.resolve("remote"));
    first =
        remote.commit(
            Map.of(
                "fleet.yaml", "kind: Fleet\n",
                "README.md", "# fleet\n",
                "clusters/dev-1/cluster.yaml", "kind: Cluster\nname: dev-1\n",
                "addons/ingress/addon.yaml", "kind: Addon\nname: ingress\n"),
            "Initial fleet");
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  private JGitFleetRepository repo() {
    return new JGitFleetRepository(
        GitSettings.of(remote.fileUrl(), "main", tmp.resolve("work"))
            .withAuthor("fleetwarden-bot", "bot@example.org"));
  }

  @Test
  void clonesFetchesNewCommitsAndReportsChangedPaths() throws Exception {
    try (JGitFleetRepository repo = repo()) {
      assertThat(repo.head()).isNull();
      assertThat(repo.open()).isEqualTo(first);
      assertThat(repo.head()).isEqualTo(first);
      assertThat(RemoteFixture.read(repo.workTree().resolve("clusters/dev-1/cluster.yaml")))
          .contains("dev-1");

      assertThat(repo.fetch()).as("nothing new").isEqualTo(first);

      Map<String, String> change = new HashMap<>();
      change.put("clusters/dev-1/cluster.yaml", "kind: Cluster\nname: dev-1\nrole: workload\n");
      change.put("README.md", null);
      change.put("environments/prod.yaml", "kind: Environment\n");
      // a rename: delete the old path, add the new one with the same content
      change.put("addons/ingress/addon.yaml", null);
      change.put("addons/ingress-nginx/addon.yaml", "kind: Addon\nname: ingress\n");
      String second = remote.commit(change, "Make dev-1 a workload cluster\n\nAnd more.");

      assertThat(repo.head()).as("not fetched yet").isEqualTo(first);
      assertThat(repo.fetch()).isEqualTo(second);
      assertThat(repo.head()).isEqualTo(second);
      assertThat(RemoteFixture.read(repo.workTree().resolve("clusters/dev-1/cluster.yaml")))
          .contains("role: workload");
      assertThat(repo.workTree().resolve("README.md")).doesNotExist();
      assertThat(repo.workTree().resolve("addons/ingress/addon.yaml")).doesNotExist();

      assertThat(repo.changedPaths(first, second))
          .containsExactly(
              "README.md",
              "addons/ingress-nginx/addon.yaml",
              "addons/ingress/addon.yaml",
              "clusters/dev-1/cluster.yaml",
              "environments/prod.yaml");
      assertThat(repo.changedPaths(second, second)).isEmpty();
      assertThat(repo.changedPaths(null, first))
          .containsExactly(
              "README.md",
              "addons/ingress/addon.yaml",
              "clusters/dev-1/cluster.yaml",
              "fleet.yaml");

      CommitInfo info = repo.commitInfo(second);
      assertThat(info.id()).isEqualTo(second);
      assertThat(info.authorName()).isEqualTo("Dana Dev");
      assertThat(info.authorEmail()).isEqualTo("dana@example.org");
      assertThat(info.shortMessage()).isEqualTo("Make dev-1 a workload cluster");
      assertThat(info.message()).contains("And more.");
      assertThat(info.time()).isNotNull();
    }
  }

  @Test
  void reopensAnExistingCloneAndDiscardsLocalEdits() throws Exception {
    try (JGitFleetRepository repo = repo()) {
      repo.open();
    }
    String second = remote.commit(Map.of("fleet.yaml", "kind: Fleet\nspec: {}\n"), "Edit fleet");
    Files.writeString(tmp.resolve("work/fleet.yaml"), "local edit\n");
    Files.writeString(tmp.resolve("work/stray.txt"), "untracked\n");
    try (JGitFleetRepository repo = repo()) {
      assertThat(repo.open()).as("opened, not fetched").isEqualTo(first);
      assertThat(repo.fetch()).isEqualTo(second);
      assertThat(RemoteFixture.read(tmp.resolve("work/fleet.yaml")))
          .isEqualTo("kind: Fleet\nspec: {}\n");
      assertThat(tmp.resolve("work/stray.txt")).doesNotExist();
    }
  }

  @Test
  void followsAForcePushedBranch() throws Exception {
    try (JGitFleetRepository repo = repo()) {
      repo.open();
      String rewritten =
          remote.forcePushNewHistory(Map.of("fleet.yaml", "kind: Fleet\n# new\n"), "Rewrite");
      assertThat(repo.fetch()).isEqualTo(rewritten);
      assertThat(repo.workTree().resolve("clusters")).doesNotExist();
      assertThat(repo.changedPaths(first, rewritten))
          .containsExactly(
              "README.md",
              "addons/ingress/addon.yaml",
              "clusters/dev-1/cluster.yaml",
              "fleet.yaml");
    }
  }

  private static final String HOST_TOKEN = "host-sa-token-93f1c7";

  /** A file outside the fleet repo, standing in for a service-account token. */
  private Path hostToken() throws Exception {
    Path token = tmp.resolve("host/token");
    Files.createDirectories(token.getParent());
    Files.writeString(token, HOST_TOKEN + "\n");
    return token;
  }

  /** Every file below dir, read without following links, holds none of the host files. */
  private static void assertNoHostContent(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        assertThat(Files.isSymbolicLink(p)).as("link %s", p).isFalse();
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
            && !dir.relativize(p).startsWith(".git")) {
          assertThat(Files.readString(p, StandardCharsets.ISO_8859_1))
              .as("%s", p)
              .doesNotContain(HOST_TOKEN)
              .doesNotContain("root:x:0:0");
        }
      }
    }
  }

  @Test
  void aCommitWithSymlinksIsRefusedNamingEachLinkAndTheWorkTreeKeepsTheLastGoodCommit()
      throws Exception {
    Path token = hostToken();
    try (JGitFleetRepository repo = repo()) {
      repo.open();
      String linked =
          remote.commitLinks(
              Map.of(
                  "addons/x/manifests/passwd.yaml", "/etc/passwd",
                  "addons/x/chart/files/token", token.toString(),
                  "clusters/dev-1/values/x.yaml", "../../../../host/token"),
              "Add links to host files");

      assertThatThrownBy(repo::fetch)
          .isInstanceOfSatisfying(
              UnsafeCommitException.class,
              e -> {
                assertThat(e.revision()).isEqualTo(linked);
                assertThat(e.paths())
                    .containsExactly(
                        "addons/x/chart/files/token",
                        "addons/x/manifests/passwd.yaml",
                        "clusters/dev-1/values/x.yaml");
                assertThat(e.getMessage())
                    .contains(
                        "addons/x/chart/files/token (and 2 more): symlinks are not allowed in the"
                            + " fleet repo")
                    .doesNotContain(HOST_TOKEN);
              });
      assertThat(repo.head()).as("the work tree keeps the last good commit").isEqualTo(first);
      assertThat(repo.workTree().resolve("addons/x")).doesNotExist();
      assertNoHostContent(repo.workTree());
      assertThatThrownBy(repo::fetch)
          .as("refused again at the next poll")
          .isInstanceOf(UnsafeCommitException.class);

      Path export = tmp.resolve("export");
      assertThatThrownBy(() -> repo.checkout(linked, export))
          .isInstanceOf(UnsafeCommitException.class)
          .hasMessageContaining("addons/x/chart/files/token");
      assertNoHostContent(export);

      Map<String, String> unlink = new HashMap<>();
      unlink.put("addons/x/manifests/passwd.yaml", null);
      unlink.put("addons/x/chart/files/token", null);
      unlink.put("clusters/dev-1/values/x.yaml", null);
      String fixed = remote.commit(unlink, "Remove the links");
      assertThat(repo.fetch()).isEqualTo(fixed);
      assertNoHostContent(repo.workTree());
    }
    try (Git clone = Git.open(tmp.resolve("work").toFile())) {
      assertThat(clone.getRepository().getConfig().getBoolean("core", "symlinks", true))
          .as("the clone never checks a link out")
          .isFalse();
    }
  }

  @Test
  void aFirstCloneWhoseHeadHoldsASymlinkIsRefusedAndChecksNothingOut() throws Exception {
    String linked =
        remote.commitLinks(
            Map.of("clusters/dev-1/values/ingress.yaml", hostToken().toString()),
            "Values from a host file");
    try (JGitFleetRepository repo = repo()) {
      assertThatThrownBy(repo::open)
          .isInstanceOfSatisfying(
              UnsafeCommitException.class,
              e -> {
                assertThat(e.revision()).isEqualTo(linked);
                assertThat(e.getMessage())
                    .contains(
                        "clusters/dev-1/values/ingress.yaml: symlinks are not allowed in the"
                            + " fleet repo");
              });
      assertThat(tmp.resolve("work/clusters")).doesNotExist();
      assertNoHostContent(tmp.resolve("work"));
    }
  }

  @Test
  void checkoutExportsAnOlderRevisionWithoutTouchingTheWorkTree() throws Exception {
    try (JGitFleetRepository repo = repo()) {
      repo.open();
      String second =
          remote.commit(
              Map.of("clusters/dev-1/cluster.yaml", "kind: Cluster\nname: changed\n"), "Change");
      repo.fetch();
      Path old = repo.checkout(first, tmp.resolve("at-first"));
      assertThat(RemoteFixture.read(old.resolve("clusters/dev-1/cluster.yaml")))
          .contains("name: dev-1");
      assertThat(old.resolve("README.md")).exists();
      assertThat(old.resolve(".git")).doesNotExist();
      assertThat(RemoteFixture.read(repo.workTree().resolve("clusters/dev-1/cluster.yaml")))
          .contains("name: changed");
      assertThat(repo.head()).isEqualTo(second);
    }
  }

  @Test
  void commitAndPushLandsABranchInTheRemoteAndChecksThePushStatus() throws Exception {
    try (JGitFleetRepository repo = repo()) {
      repo.open();
      Map<String, String> files = new HashMap<>();
      files.put("clusters/dev-1/cluster.yaml", "kind: Cluster\nname: dev-1\nreplicas: 5\n");
      files.put("clusters/dev-1/patches/keep.yaml", "kind: Patch\n");
      files.put("README.md", null);
      String pushed =
          repo.commitAndPush("fleetwarden/drift-abc", files, "Adopt live replicas", false);

      assertThat(remote.remoteBranch("fleetwarden/drift-abc")).isEqualTo(pushed);
      assertThat(remote.parentOf(pushed)).isEqualTo(first);
      assertThat(remote.remoteFile(pushed, "clusters/dev-1/cluster.yaml")).contains("replicas: 5");
      assertThat(remote.remoteFile(pushed, "clusters/dev-1/patches/keep.yaml"))
          .isEqualTo("kind: Patch\n");
      assertThat(remote.remoteFile(pushed, "README.md")).isNull();
      assertThat(remote.remoteFile(pushed, "fleet.yaml")).isEqualTo("kind: Fleet\n");
      assertThat(remote.remoteBranch("main")).as("tracked branch untouched").isEqualTo(first);
      assertThat(RemoteFixture.read(repo.workTree().resolve("clusters/dev-1/cluster.yaml")))
          .as("work tree untouched")
          .doesNotContain("replicas");
      CommitInfo info = repo.commitInfo(pushed);
      assertThat(info.authorName()).isEqualTo("fleetwarden-bot");
      assertThat(info.message()).isEqualTo("Adopt live replicas");

      // the same branch regenerated with other content: not a fast-forward
      Map<String, String> other = Map.of("clusters/dev-1/cluster.yaml", "replicas: 6\n");
      assertThatThrownBy(() -> repo.commitAndPush("fleetwarden/drift-abc", other, "Again", false))
          .isInstanceOfSatisfying(
              GitPushRejectedException.class,
              e -> {
                assertThat(e.status()).isEqualTo("REJECTED_NONFASTFORWARD");
                assertThat(e.branch()).isEqualTo("fleetwarden/drift-abc");
              });
      assertThat(remote.remoteBranch("fleetwarden/drift-abc")).isEqualTo(pushed);

      String forced = repo.commitAndPush("fleetwarden/drift-abc", other, "Again", true);
      assertThat(remote.remoteBranch("fleetwarden/drift-abc")).isEqualTo(forced);
      assertThat(remote.remoteFile(forced, "clusters/dev-1/cluster.yaml"))
          .isEqualTo("replicas: 6\n");
    }
  }

  @Test
  void refusesPathsOutsideTheRepoAndTheTrackedBranch() throws Exception {
    try (JGitFleetRepository repo = repo()) {
      repo.open();
      for (String bad :
          new String[] {"../evil.yaml", "/etc/passwd", "a/../../b", ".git/config", "a\\b", ""}) {
        assertThatThrownBy(() -> repo.commitAndPush("fix", Map.of(bad, "x"), "m", false))
            .as(bad)
            .isInstanceOf(UnsafePathException.class);
      }
      assertThat(remote.remoteBranch("fix")).isNull();
      assertThatThrownBy(() -> repo.commitAndPush("main", Map.of("a", "b"), "m", true))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tracked branch");
      assertThat(remote.remoteBranch("main")).isEqualTo(first);
    }
  }

  @Test
  void missingBranchAndForeignWorkDirAreClearErrors() throws Exception {
    Path work = tmp.resolve("work-missing");
    try (JGitFleetRepository repo =
        new JGitFleetRepository(GitSettings.of(remote.fileUrl(), "release", work))) {
      assertThatThrownBy(repo::open)
          .isInstanceOf(GitException.class)
          .hasMessageContaining("refs/heads/release")
          .hasMessageContaining("check the branch setting");
    }
    assertThat(work.resolve(".git")).as("partial clone removed").doesNotExist();
    Path foreign = tmp.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    try (JGitFleetRepository repo =
        new JGitFleetRepository(GitSettings.of(remote.fileUrl(), "main", foreign))) {
      assertThatThrownBy(repo::open)
          .isInstanceOf(GitException.class)
          .hasMessageContaining("not a Git clone");
    }
    assertThat(RemoteFixture.read(foreign.resolve("notes.txt"))).isEqualTo("mine");
  }

  @Test
  void credentialsInTheUrlNeverAppearInErrors() {
    String url = "http://fleet-bot:s3cr3t-pa55@127.0.0.1:1/fleet.git";
    try (JGitFleetRepository repo =
        new JGitFleetRepository(
            GitSettings.of(url, "main", tmp.resolve("work-unreachable"))
                .withTokenEnv("FLEET_TOKEN", null),
            name -> name.equals("FLEET_TOKEN") ? "ghp_tokenvalue123" : null)) {
      assertThat(repo.settings().toString()).doesNotContain("s3cr3t").doesNotContain("fleet-bot");
      assertThatThrownBy(repo::open)
          .isInstanceOfSatisfying(
              GitException.class,
              e -> {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                assertThat(trace.toString())
                    .contains("127.0.0.1")
                    .doesNotContain("s3cr3t-pa55")
                    .doesNotContain("ghp_tokenvalue123");
                assertThat(e.remote()).isEqualTo("http://***@127.0.0.1:1/fleet.git");
              });
    }
  }
}
