package dev.fleetwarden.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a fleet's history for a preview: a local repository in place ({@link LocalRevisions}),
 * and the service's clone fetching a pull request's ref and finding its merge base.
 */
class RevisionsIT {
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
                "clusters/dev-1/cluster.yaml", "kind: Cluster\nname: dev-1\n"),
            "Initial fleet");
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  @Test
  void theServiceFetchesAPullRequestsHeadWithoutMovingItsWorkTree() throws Exception {
    String main2 = remote.commit(Map.of("README.md", "# fleet\n"), "docs on main");
    // The pull request branched off the first commit; GitHub keeps its head under refs/pull/.
    remote
        .developer
        .checkout()
        .setCreateBranch(true)
        .setName("feature")
        .setStartPoint(first)
        .call();
    String head = commitOnBranch("clusters/dev-1/values/ingress.yaml", "replicas: 2\n");
    remote
        .developer
        .push()
        .setRemote("origin")
        .setRefSpecs(new RefSpec("+" + head + ":refs/pull/7/head"))
        .call();

    try (JGitFleetRepository repo =
        new JGitFleetRepository(GitSettings.of(remote.fileUrl(), "main", tmp.resolve("work")))) {
      assertThat(repo.open()).isEqualTo(main2);
      assertThat(repo.fetchRef("refs/pull/7/head")).isEqualTo(head);
      assertThat(repo.head()).as("the work tree stays on main").isEqualTo(main2);
      assertThat(Files.exists(repo.workTree().resolve("clusters/dev-1/values/ingress.yaml")))
          .isFalse();
      assertThat(repo.mergeBase(main2, head)).isEqualTo(first);
      assertThat(repo.resolve(head.substring(0, 10))).isEqualTo(head);
      assertThat(repo.changedPaths(first, head))
          .containsExactly("clusters/dev-1/values/ingress.yaml");
      Path out = repo.checkout(head, tmp.resolve("head"));
      assertThat(Files.readString(out.resolve("clusters/dev-1/values/ingress.yaml")))
          .isEqualTo("replicas: 2\n");

      assertThatThrownBy(() -> repo.fetchRef("refs/pull/8/head"))
          .isInstanceOf(GitException.class)
          .hasMessageContaining("refs/pull/8/head");
      assertThatThrownBy(() -> repo.fetchRef("--upload-pack=touch x"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> repo.fetchRef("refs/pull/../../x"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aLocalRepositoryIsReadInPlaceAlsoWhenTheFleetIsOneOfItsDirectories() throws Exception {
    Path mono = tmp.resolve("mono");
    try (Git git = Git.init().setInitialBranch("main").setDirectory(mono.toFile()).call()) {
      Files.createDirectories(mono.resolve("platform/fleet/clusters/dev-1"));
      Files.writeString(mono.resolve("platform/fleet/fleet.yaml"), "kind: Fleet\n");
      Files.writeString(mono.resolve("platform/fleet/clusters/dev-1/cluster.yaml"), "a: 1\n");
      Files.writeString(mono.resolve("other.txt"), "not the fleet\n");
      String base = commitAll(git, "base");
      Files.writeString(mono.resolve("platform/fleet/clusters/dev-1/cluster.yaml"), "a: 2\n");
      Files.writeString(mono.resolve("other.txt"), "changed\n");
      String head = commitAll(git, "head");
      Files.writeString(mono.resolve("platform/fleet/fleet.yaml"), "uncommitted\n");

      try (LocalRevisions revisions = LocalRevisions.open(mono.resolve("platform/fleet"))) {
        assertThat(revisions.prefix()).isEqualTo("platform/fleet/");
        assertThat(revisions.resolve("HEAD")).isEqualTo(head);
        assertThat(revisions.resolve("main~1")).isEqualTo(base);
        assertThat(revisions.changedPaths(base, head))
            .containsExactly("clusters/dev-1/cluster.yaml");
        Path out = revisions.checkout(base, tmp.resolve("out"));
        assertThat(Files.readString(out.resolve("fleet.yaml"))).isEqualTo("kind: Fleet\n");
        assertThat(Files.readString(out.resolve("clusters/dev-1/cluster.yaml")))
            .isEqualTo("a: 1\n");
        assertThat(Files.exists(out.resolve("other.txt"))).isFalse();
        assertThat(revisions.mergeBase(base, head)).isEqualTo(base);
        assertThatThrownBy(() -> revisions.resolve("no-such-branch"))
            .isInstanceOf(GitException.class)
            .hasMessageContaining("unknown revision 'no-such-branch'");
      }
      // Nothing was written into the repository or its work tree.
      assertThat(Files.readString(mono.resolve("platform/fleet/fleet.yaml")))
          .isEqualTo("uncommitted\n");
      assertThat(git.status().call().getModified()).containsExactly("platform/fleet/fleet.yaml");
    }
  }

  @Test
  void aCommitWithASymbolicLinkInTheFleetIsNeverWrittenOut() throws Exception {
    String linked =
        remote.commitLinks(Map.of("clusters/dev-1/values/x.yaml", "/etc/passwd"), "link");
    try (LocalRevisions revisions = LocalRevisions.open(remote.developerDir)) {
      Path out = tmp.resolve("out");
      assertThatThrownBy(() -> revisions.checkout(linked, out))
          .isInstanceOf(UnsafeCommitException.class)
          .hasMessageContaining("clusters/dev-1/values/x.yaml");
      assertThat(Files.exists(out.resolve("fleet.yaml"), LinkOption.NOFOLLOW_LINKS)).isFalse();
      try (var written = Files.list(out)) {
        assertThat(written).as("nothing of the commit is written").isEmpty();
      }
    }
    assertThatThrownBy(() -> LocalRevisions.open(tmp.resolve("nowhere")))
        .isInstanceOf(GitException.class)
        .hasMessageContaining("not in a Git repository");
  }

  private String commitOnBranch(String file, String content) throws Exception {
    Path p = remote.developerDir.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    remote.developer.add().addFilepattern(file).call();
    PersonIdent dana = new PersonIdent("Dana Dev", "dana@example.org");
    return remote
        .developer
        .commit()
        .setMessage("feature")
        .setAuthor(dana)
        .setCommitter(dana)
        .setSign(false)
        .call()
        .name();
  }

  private static String commitAll(Git git, String message) throws Exception {
    git.add().addFilepattern(".").call();
    PersonIdent p = new PersonIdent("Pat", "pat@example.org");
    return git.commit()
        .setMessage(message)
        .setAuthor(p)
        .setCommitter(p)
        .setSign(false)
        .call()
        .name();
  }
}
