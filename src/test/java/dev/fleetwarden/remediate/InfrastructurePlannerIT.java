package dev.fleetwarden.remediate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.cdktf.StackOptions;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.InMemoryPullRequests;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.reconcile.SynthesizerStackRerender;
import dev.fleetwarden.terraform.CdktfStackSynthesizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Terraform drift adopted into a cluster's infrastructure inputs, checked by real CDKTF synthesis
 * (in-process jsii + Node) of the example fleet's prod-eu-1 stack.
 */
class InfrastructurePlannerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FILE = "clusters/prod-eu-1/cluster.yaml";

  private static Path scratch;
  private static CdktfStackSynthesizer synthesizer;
  private static InfrastructurePlanner planner;

  @TempDir Path tmp;
  Path repo;
  Fleet fleet;

  @BeforeAll
  static void synthesizer() throws Exception {
    scratch = Files.createTempDirectory("fleetwarden-infra-planner");
    synthesizer = new CdktfStackSynthesizer(scratch, StackOptions.defaults());
    planner = new InfrastructurePlanner(new SynthesizerStackRerender(synthesizer));
  }

  @AfterAll
  static void close() throws Exception {
    synthesizer.close();
    try (Stream<Path> paths = Files.walk(scratch)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @BeforeEach
  void copyExampleFleet() throws Exception {
    repo = RemediateFixture.copy(Path.of("fleet-repo-example"), tmp.resolve("fleet"));
    fleet = FleetLoader.load(repo);
  }

  private static ObjectDrift drift(String address, DriftType type, FieldDrift... fields) {
    return new ObjectDrift(
        ResourceId.terraform("prod-eu-1", address),
        null,
        DriftSource.TERRAFORM,
        type,
        null,
        List.of(fields));
  }

  private static FieldDrift field(String path, String desired, String live) throws Exception {
    return new FieldDrift(path, JSON.readTree(desired), JSON.readTree(live));
  }

  private static List<String> changedLines(String before, String after) {
    List<String> a = before.lines().toList();
    List<String> b = after.lines().toList();
    assertThat(b).hasSameSizeAs(a);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).equals(b.get(i))) {
        out.add((i + 1) + ": " + a.get(i).strip() + " => " + b.get(i).strip());
      }
    }
    return out;
  }

  @Test
  void aNodeGroupSizeChangedInTheCloudIsAdoptedInTheOneInputThatSetsIt() throws Exception {
    // minSize and desiredSize of the general group are both 3: only desiredSize re-synthesizes
    // to the live desired_size, so only that line changes.
    String before = Files.readString(repo.resolve(FILE));

    RemediationPlan plan =
        planner.plan(
            repo,
            fleet,
            drift(
                "aws_eks_node_group.general",
                DriftType.MODIFIED,
                field("/scaling_config/0/desired_size", "3", "5")));

    assertThat(plan).isInstanceOf(ChangeSet.class);
    ChangeSet change = (ChangeSet) plan;
    assertThat(change.strategy()).isEqualTo(ChangeSet.Strategy.INFRASTRUCTURE_EDIT);
    assertThat(change.files()).containsOnlyKeys(FILE);
    assertThat(changedLines(before, change.files().get(FILE)))
        .containsExactly(
            "19: - {name: general, instanceType: m6i.xlarge, minSize: 3, maxSize: 9, desiredSize: 3}"
                + " => - {name: general, instanceType: m6i.xlarge, minSize: 3, maxSize: 9,"
                + " desiredSize: 5}");
    assertThat(change.edits())
        .containsExactly(
            new ChangeSet.Edit(
                FILE, 19, "/spec/infrastructure/nodeGroups/0/desiredSize", "3", "5"));
    assertThat(change.affectedClusters()).containsExactly("prod-eu-1");
    assertThat(change.explanation())
        .contains("nodeGroups/0/desiredSize")
        .contains("aws_eks_node_group.general");
    assertThat(Files.readString(repo.resolve(FILE)))
        .as("the repo is not written")
        .isEqualTo(before);
  }

  @Test
  void anInstanceTypeListOfOneIsAdoptedInItsInput() throws Exception {
    RemediationPlan plan =
        planner.plan(
            repo,
            fleet,
            drift(
                "aws_eks_node_group.spot_batch",
                DriftType.MODIFIED,
                field("/instance_types", "[\"c6i.2xlarge\"]", "[\"c6i.4xlarge\"]")));

    assertThat(plan).isInstanceOf(ChangeSet.class);
    assertThat(((ChangeSet) plan).edits())
        .containsExactly(
            new ChangeSet.Edit(
                FILE,
                20,
                "/spec/infrastructure/nodeGroups/1/instanceType",
                "c6i.2xlarge",
                "c6i.4xlarge"));
  }

  @Test
  void anInputThatFeedsOtherResourcesIsAlertOnly() throws Exception {
    // The team tag is written on every resource of the stack, not only the VPC.
    RemediationPlan plan =
        planner.plan(
            repo,
            fleet,
            drift(
                "aws_vpc.main",
                DriftType.MODIFIED,
                field("/tags/team", "\"platform\"", "\"someone-else\"")));

    assertThat(plan).isInstanceOf(AlertOnly.class);
    assertThat(((AlertOnly) plan).reason())
        .contains("tags/team")
        .contains("other attribute(s)")
        .contains("aws_eks_cluster");
  }

  @Test
  void whatNoSingleInputHoldsIsAlertOnly() throws Exception {
    JsonNode rule =
        JSON.readTree(
            "[{\"from_port\":443,\"to_port\":443,\"protocol\":\"tcp\",\"cidr_blocks\":[\"10.0.0.0/8\"]}]");
    JsonNode rules =
        JSON.readTree(
            "[{\"from_port\":443,\"to_port\":443,\"protocol\":\"tcp\",\"cidr_blocks\":[\"10.0.0.0/8\"]},"
                + "{\"from_port\":22,\"to_port\":22,\"protocol\":\"tcp\",\"cidr_blocks\":[\"0.0.0.0/0\"]}]");

    RemediationPlan list =
        planner.plan(
            repo,
            fleet,
            drift(
                "aws_security_group.nodes",
                DriftType.MODIFIED,
                new FieldDrift("/ingress", rule, rules)));
    RemediationPlan oneRule =
        planner.plan(
            repo,
            fleet,
            drift(
                "aws_security_group.nodes",
                DriftType.MODIFIED,
                new FieldDrift(
                    "/ingress/from_port=22,to_port=22,protocol=tcp",
                    com.fasterxml.jackson.databind.node.NullNode.instance,
                    rules.get(1))));
    RemediationPlan computed =
        planner.plan(
            repo,
            fleet,
            drift("aws_vpc.main", DriftType.MODIFIED, field("/arn", "\"arn:a\"", "\"arn:b\"")));
    RemediationPlan derived =
        planner.plan(
            repo,
            fleet,
            drift(
                "aws_vpc.main",
                DriftType.MODIFIED,
                field("/tags/fleetwarden:cluster", "\"prod-eu-1\"", "\"someone-else\"")));
    RemediationPlan secret =
        planner.plan(
            repo,
            fleet,
            drift(
                "aws_vpc.main",
                DriftType.MODIFIED,
                field("/tags/team", "\"(sensitive)\"", "\"(sensitive)\"")));
    RemediationPlan missing = planner.plan(repo, fleet, drift("aws_vpc.main", DriftType.MISSING));
    RemediationPlan pending =
        planner.plan(
            repo,
            fleet,
            drift("aws_vpc.main", DriftType.PENDING, field("/tags/team", "\"a\"", "\"b\"")));

    assertThat(((AlertOnly) list).reason()).contains("/ingress").contains("list or block");
    assertThat(((AlertOnly) oneRule).reason())
        .contains("/ingress/from_port=22,to_port=22,protocol=tcp")
        .contains("an item of a list of rules or blocks");
    assertThat(((AlertOnly) computed).reason()).contains("/arn").contains("not set by the stack");
    assertThat(((AlertOnly) derived).reason())
        .contains("no input of the infrastructure block of clusters/prod-eu-1/cluster.yaml")
        .contains("/tags/fleetwarden:cluster");
    assertThat(((AlertOnly) secret).reason()).contains("sensitive");
    assertThat(((AlertOnly) missing).reason()).contains("deleted outside Terraform");
    assertThat(((AlertOnly) pending).reason()).contains("pending");
  }

  @Test
  void theRemediationPlannerHandsTerraformDriftToTheInfrastructurePlanner() throws Exception {
    ObjectDrift size =
        drift(
            "aws_eks_node_group.general",
            DriftType.MODIFIED,
            field("/scaling_config/0/desired_size", "3", "4"));

    RemediationPlan withInfrastructure =
        new RemediationPlanner(RemediateFixture.RERENDER, planner)
            .plan(repo, fleet, size, "abcdef0123456789");
    RemediationPlan without =
        new RemediationPlanner(RemediateFixture.RERENDER)
            .plan(repo, fleet, size, "abcdef0123456789");

    assertThat(withInfrastructure).isInstanceOf(ChangeSet.class);
    assertThat(without).isInstanceOf(AlertOnly.class);
  }

  @Test
  void thePullRequestCommitsExactlyTheAdoptedInputOnItsBranch() throws Exception {
    Path remote = tmp.resolve("remote.git");
    RemediateFixture.pushAsRemote(repo, remote);
    LocalPullRequestHost host = new LocalPullRequestHost(tmp.resolve("pull-requests"));
    PullRequestManager manager =
        new PullRequestManager(
            new JGitBranchPublisher(
                remote.toUri().toString(), "main", tmp.resolve("work"), null, null),
            host,
            new InMemoryPullRequests(),
            new RemediationPlanner(RemediateFixture.RERENDER, planner),
            fleet.settings().pullRequests());
    ObjectDrift size =
        drift(
            "aws_eks_node_group.general",
            DriftType.MODIFIED,
            field("/scaling_config/0/desired_size", "3", "6"));
    Finding tracked = Finding.opened("0123456789abcdef", size, Instant.EPOCH, Instant.EPOCH, null);

    List<PrOutcome> first = manager.reconcile("prod-eu-1", true, List.of(tracked));
    List<PrOutcome> again = manager.reconcile("prod-eu-1", true, List.of(tracked));

    assertThat(first).extracting(PrOutcome::action).containsExactly(PrOutcome.Action.CREATED);
    assertThat(first.get(0).detail()).isEqualTo("infrastructure");
    assertThat(again).extracting(PrOutcome::action).containsExactly(PrOutcome.Action.UNCHANGED);
    String branch = "fleetwarden/drift/prod-eu-1/0123456789";
    try (org.eclipse.jgit.api.Git bare = org.eclipse.jgit.api.Git.open(remote.toFile())) {
      org.eclipse.jgit.lib.Repository r = bare.getRepository();
      java.io.ByteArrayOutputStream diff = new java.io.ByteArrayOutputStream();
      try (org.eclipse.jgit.diff.DiffFormatter f = new org.eclipse.jgit.diff.DiffFormatter(diff)) {
        f.setRepository(r);
        List<org.eclipse.jgit.diff.DiffEntry> entries =
            f.scan(
                r.resolve("refs/heads/main^{tree}"), r.resolve("refs/heads/" + branch + "^{tree}"));
        assertThat(entries)
            .extracting(org.eclipse.jgit.diff.DiffEntry::getNewPath)
            .containsExactly(FILE);
        f.format(entries);
      }
      List<String> changed =
          diff.toString(java.nio.charset.StandardCharsets.UTF_8)
              .lines()
              .filter(
                  l ->
                      (l.startsWith("+") || l.startsWith("-"))
                          && !l.startsWith("+++")
                          && !l.startsWith("---"))
              .toList();
      assertThat(changed)
          .containsExactly(
              "-      - {name: general, instanceType: m6i.xlarge, minSize: 3, maxSize: 9, desiredSize: 3}",
              "+      - {name: general, instanceType: m6i.xlarge, minSize: 3, maxSize: 9, desiredSize: 6}");
    }
    assertThat(Files.readString(tmp.resolve("pull-requests").resolve("pr-1.md")))
        .contains("prod-eu-1/terraform/aws_eks_node_group.general")
        .contains("nodeGroups/0/desiredSize")
        .contains("Blast radius")
        .contains("Checked by re-synthesizing the stack of `prod-eu-1`")
        .contains("`terraform apply`");
  }
}
