package dev.fleetwarden.remediate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JGit publisher against a real bare repository over file://. */
class JGitBranchPublisherIT {
  @TempDir Path tmp;
  Path remote;
  String head;

  @BeforeEach
  void remote() throws Exception {
    remote = tmp.resolve("remote.git");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(remote.toFile()).call().close();
    Path seed = Files.createDirectories(tmp.resolve("seed"));
    Files.writeString(seed.resolve("fleet.yaml"), "kind: Fleet\n");
    try (Git git = Git.init().setInitialBranch("main").setDirectory(seed.toFile()).call()) {
      git.add().addFilepattern(".").call();
      head =
          git.commit()
              .setMessage("init")
              .setAuthor("p", "p@x")
              .setCommitter("p", "p@x")
              .setSign(false)
              .call()
              .name();
      git.remoteAdd().setName("origin").setUri(new URIish(remote.toUri().toString())).call();
      git.push().setRemote("origin").add("main").call();
    }
  }

  private JGitBranchPublisher publisher(String dir) {
    return new JGitBranchPublisher(remote.toUri().toString(), "main", tmp.resolve(dir), null, null);
  }

  @Test
  void aNonFastForwardPushIsATypedRejectionAndForceReplacesTheBranch() throws Exception {
    JGitBranchPublisher first = publisher("work-1");
    var base = first.fetchBase();
    assertThat(base.commit()).isEqualTo(head);
    String c1 =
        first.publish(
            "fleetwarden/drift/c/0123456789", head, Map.of("a.yaml", "a: 1\n"), "one", false);
    assertThat(first.remoteHead("fleetwarden/drift/c/0123456789")).contains(c1);

    // another working copy builds a different commit for the same branch
    JGitBranchPublisher second = publisher("work-2");
    second.fetchBase();
    assertThatThrownBy(
            () ->
                second.publish(
                    "fleetwarden/drift/c/0123456789",
                    head,
                    Map.of("a.yaml", "a: 2\n"),
                    "two",
                    false))
        .isInstanceOfSatisfying(
            BranchPublisher.BranchRejectedException.class,
            e -> {
              assertThat(e.status()).isEqualTo("REJECTED_NONFASTFORWARD");
              assertThat(e.branch()).isEqualTo("fleetwarden/drift/c/0123456789");
            });
    assertThat(first.remoteHead("fleetwarden/drift/c/0123456789")).contains(c1);

    String c2 =
        second.publish(
            "fleetwarden/drift/c/0123456789", head, Map.of("a.yaml", "a: 2\n"), "two", true);
    assertThat(first.remoteHead("fleetwarden/drift/c/0123456789")).contains(c2);
    // the working copy is back on the base, clean
    assertThat(Files.exists(tmp.resolve("work-2/a.yaml"))).isFalse();

    second.delete("fleetwarden/drift/c/0123456789");
    assertThat(first.remoteHead("fleetwarden/drift/c/0123456789")).isEmpty();
  }

  @Test
  void pathsOutsideTheRepoAreNeverWritten() throws Exception {
    JGitBranchPublisher p = publisher("work");
    p.fetchBase();
    assertThatThrownBy(
            () ->
                p.publish(
                    "fleetwarden/drift/c/abcdefghij",
                    head,
                    Map.of("../evil.yaml", "x"),
                    "m",
                    false))
        .isInstanceOf(RepoPaths.UnsafePathException.class);
    assertThat(Files.exists(tmp.resolve("evil.yaml"))).isFalse();
    assertThat(p.remoteHead("fleetwarden/drift/c/abcdefghij")).isEmpty();
  }

  @Test
  void aMissingBaseBranchSaysWhatToFix() {
    JGitBranchPublisher p =
        new JGitBranchPublisher(remote.toUri().toString(), "trunk", tmp.resolve("w"), null, null);
    assertThatThrownBy(p::fetchBase)
        .isInstanceOf(BranchPublisher.PublishException.class)
        .hasMessageContaining("baseBranch");
  }

  @Test
  void aSymlinkInTheFleetRemoteIsNeverCheckedOutAsALink() throws Exception {
    Path seed = tmp.resolve("seed");
    Files.createSymbolicLink(seed.resolve("passwd.yaml"), Path.of("/etc/passwd"));
    String linked;
    try (Git git = Git.open(seed.toFile())) {
      git.add().addFilepattern("passwd.yaml").call();
      linked =
          git.commit()
              .setMessage("link")
              .setAuthor("p", "p@x")
              .setCommitter("p", "p@x")
              .setSign(false)
              .call()
              .name();
      git.push().setRemote("origin").add("main").call();
    }
    JGitBranchPublisher publisher = publisher("work-links");
    assertThat(publisher.fetchBase().commit()).isEqualTo(linked);
    Path checkedOut = tmp.resolve("work-links/passwd.yaml");
    assertThat(Files.isSymbolicLink(checkedOut)).as("checked out as a link").isFalse();
    assertThat(Files.readString(checkedOut)).isEqualTo("/etc/passwd");
  }
}
