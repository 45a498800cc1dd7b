package dev.fleetwarden.cdktf;

import com.hashicorp.cdktf.LocalBackend;
import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.aws.eks_cluster.EksCluster;
import com.hashicorp.cdktf.providers.aws.eks_cluster.EksClusterVpcConfig;
import com.hashicorp.cdktf.providers.aws.eks_node_group.EksNodeGroup;
import com.hashicorp.cdktf.providers.aws.eks_node_group.EksNodeGroupScalingConfig;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role_policy_attachment.IamRolePolicyAttachment;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3Bucket;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningVersioningConfiguration;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroup;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroupEgress;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroupIngress;
import com.hashicorp.cdktf.providers.aws.subnet.Subnet;
import com.hashicorp.cdktf.providers.aws.vpc.Vpc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.constructs.Construct;

/**
 * The infrastructure of one cluster: a VPC with a subnet per availability zone, the {@code nodes}
 * security group (its ingress rules inline, so a rule added or changed through the cloud API shows
 * in a refresh-only plan as a change of {@code /ingress}), IAM roles for the control plane and the
 * nodes, the EKS cluster and its node groups, and the cluster's artifact bucket, named after its
 * environment and cluster ({@code fw-<env>-<cluster>-artifacts}: one bucket per cluster, grouped by
 * environment name, so stacks stay independent of each other). The management cluster also owns the
 * fleet's Terraform state bucket and the IAM role fleetwarden runs as.
 *
 * <p>Every resource has a fixed logical id, so plan addresses read {@code
 * aws_security_group.nodes}, {@code aws_eks_node_group.<group name>}, and so on.
 *
 * <p>Every input reaches Terraform as a literal ({@link TerraformLiteral}): the inputs come from
 * fleet commits, and Terraform would otherwise evaluate {@code ${...}} and {@code %{...}} in them.
 */
public class ClusterStack extends TerraformStack {

  static final String AWS_PROVIDER_VERSION = ">= 5.0, < 6.0";

  private static final String ASSUME_EKS = assumeRolePolicy("eks.amazonaws.com");
  private static final String ASSUME_EC2 = assumeRolePolicy("ec2.amazonaws.com");
  private static final String POLICY_ARN = "arn:aws:iam::aws:policy/";
  private static final Pattern IPV4_CIDR =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

  public ClusterStack(Construct scope, StackInputs inputs, StackOptions options) {
    super(scope, inputs.cluster());
    addOverride("terraform.required_providers.aws.version", AWS_PROVIDER_VERSION);
    backend(inputs, options.backend());
    // From here on every input is a Terraform literal: a fleet commit must not be able to write
    // an expression (such as ${file("...")}) into the configuration.
    StackInputs in = TerraformLiteral.inputs(inputs);
    provider(in, options);

    Map<String, String> tags = tags(in);

    Vpc vpc =
        Vpc.Builder.create(this, "vpc")
            .cidrBlock(in.vpcCidr())
            .enableDnsHostnames(true)
            .enableDnsSupport(true)
            .tags(named(tags, in.cluster()))
            .build();
    vpc.overrideLogicalId("main");

    List<String> subnetIds = new ArrayList<>();
    for (int i = 0; i < in.availabilityZones().size(); i++) {
      String az = in.availabilityZones().get(i);
      Subnet subnet =
          Subnet.Builder.create(this, "subnet-" + az)
              .vpcId(vpc.getId())
              .availabilityZone(az)
              .cidrBlock(subnetCidr(inputs.cluster(), inputs.vpcCidr(), i))
              .tags(named(tags, in.cluster() + "-" + az))
              .build();
      subnet.overrideLogicalId(logicalId(az));
      subnetIds.add(subnet.getId());
    }

    List<SecurityGroupIngress> ingress = new ArrayList<>();
    for (String cidr : in.allowedCidrs()) {
      ingress.add(
          SecurityGroupIngress.builder()
              .description("Kubernetes API from " + cidr)
              .protocol("tcp")
              .fromPort(443)
              .toPort(443)
              .cidrBlocks(List.of(cidr))
              .build());
    }
    SecurityGroup nodes =
        SecurityGroup.Builder.create(this, "nodes")
            .name(in.cluster() + "-nodes")
            .description("EKS nodes of " + in.cluster())
            .vpcId(vpc.getId())
            .ingress(ingress)
            .egress(
                List.of(
                    SecurityGroupEgress.builder()
                        .description("all outbound")
                        .protocol("-1")
                        .fromPort(0)
                        .toPort(0)
                        .cidrBlocks(List.of("0.0.0.0/0"))
                        .build()))
            .tags(named(tags, in.cluster() + "-nodes"))
            .build();
    nodes.overrideLogicalId("nodes");

    IamRole clusterRole = role("cluster", in.cluster() + "-eks-cluster", ASSUME_EKS, tags);
    attach("cluster_policy", clusterRole, "AmazonEKSClusterPolicy");
    IamRole nodeRole = role("nodes", in.cluster() + "-eks-nodes", ASSUME_EC2, tags);
    attach("nodes_worker_policy", nodeRole, "AmazonEKSWorkerNodePolicy");
    attach("nodes_cni_policy", nodeRole, "AmazonEKS_CNI_Policy");
    attach("nodes_registry_read", nodeRole, "AmazonEC2ContainerRegistryReadOnly");

    EksCluster eks =
        EksCluster.Builder.create(this, "eks")
            .name(in.cluster())
            .version(in.kubernetesVersion())
            .roleArn(clusterRole.getArn())
            .vpcConfig(
                EksClusterVpcConfig.builder()
                    .subnetIds(subnetIds)
                    .securityGroupIds(List.of(nodes.getId()))
                    .build())
            .tags(tags)
            .build();
    eks.overrideLogicalId("main");

    for (StackInputs.NodeGroup g : in.nodeGroups()) {
      EksNodeGroup group =
          EksNodeGroup.Builder.create(this, "node-group-" + g.name())
              .clusterName(eks.getName())
              .nodeGroupName(g.name())
              .nodeRoleArn(nodeRole.getArn())
              .subnetIds(subnetIds)
              .instanceTypes(List.of(g.instanceType()))
              .scalingConfig(
                  EksNodeGroupScalingConfig.builder()
                      .minSize(g.minSize())
                      .maxSize(g.maxSize())
                      .desiredSize(g.desiredSize())
                      .build())
              .tags(tags)
              // SSH access can only be set when a group is created; some APIs (and emulators)
              // report a default one that would otherwise plan a replacement on every run.
              .lifecycle(
                  TerraformResourceLifecycle.builder()
                      .ignoreChanges(List.of("remote_access"))
                      .build())
              .build();
      group.overrideLogicalId(logicalId(g.name()));
    }

    bucket("artifacts", "fw-" + in.environment() + "-" + in.cluster() + "-artifacts", tags);

    if (in.management()) {
      // The management cluster holds what the whole fleet shares.
      bucket("terraform_state", "fw-" + in.cluster() + "-terraform-state", tags);
      role("fleetwarden", in.cluster() + "-fleetwarden", ASSUME_EC2, tags);
    }
  }

  private void backend(StackInputs in, StackOptions.Backend backend) {
    if (backend.type() == StackOptions.Backend.Type.S3) {
      Map<String, Object> s3 = new TreeMap<>(backend.settings());
      String prefix = String.valueOf(s3.remove("key_prefix"));
      s3.put("key", prefix + in.cluster() + ".tfstate");
      s3.putIfAbsent("region", in.region());
      addOverride("terraform.backend", Map.of("s3", s3));
    } else {
      LocalBackend.Builder.create(this)
          .path(backend.settings().getOrDefault("path", "terraform.tfstate"))
          .build();
    }
  }

  private void provider(StackInputs in, StackOptions options) {
    AwsProvider.Builder aws = AwsProvider.Builder.create(this, "aws").region(in.region());
    if (!options.endpoints().isEmpty()) {
      aws.skipCredentialsValidation(true)
          .skipRequestingAccountId(true)
          .skipMetadataApiCheck("true")
          .skipRegionValidation(true)
          .s3UsePathStyle(true);
    }
    AwsProvider provider = aws.build();
    if (!options.endpoints().isEmpty()) {
      provider.addOverride("endpoints", List.of(TerraformLiteral.map(options.endpoints())));
    }
  }

  private IamRole role(String id, String name, String assumePolicy, Map<String, String> tags) {
    IamRole role =
        IamRole.Builder.create(this, "role-" + id)
            .name(name)
            .assumeRolePolicy(assumePolicy)
            .tags(tags)
            .build();
    role.overrideLogicalId(id);
    return role;
  }

  private void attach(String id, IamRole role, String awsManagedPolicy) {
    IamRolePolicyAttachment.Builder.create(this, "attach-" + id)
        .role(role.getName())
        .policyArn(POLICY_ARN + awsManagedPolicy)
        .build()
        .overrideLogicalId(id);
  }

  private void bucket(String id, String name, Map<String, String> tags) {
    S3Bucket bucket =
        S3Bucket.Builder.create(this, "bucket-" + id)
            .bucket(name.toLowerCase(Locale.ROOT))
            .tags(tags)
            .build();
    bucket.overrideLogicalId(id);
    S3BucketVersioningA.Builder.create(this, "bucket-versioning-" + id)
        .bucket(bucket.getId())
        .versioningConfiguration(
            S3BucketVersioningVersioningConfiguration.builder().status("Enabled").build())
        .build()
        .overrideLogicalId(id);
  }

  /** Fleet tags first, then the cluster's own: the cluster wins on a clash. */
  static Map<String, String> tags(StackInputs in) {
    Map<String, String> tags = new TreeMap<>();
    tags.put("fleetwarden:cluster", in.cluster());
    tags.put("fleetwarden:environment", in.environment());
    tags.put("fleetwarden:role", in.management() ? "management" : "workload");
    tags.putAll(in.tags());
    return tags;
  }

  private static Map<String, String> named(Map<String, String> tags, String name) {
    Map<String, String> t = new LinkedHashMap<>(tags);
    t.put("Name", name);
    return t;
  }

  /**
   * The {@code index}th /+4 subnet of an IPv4 VPC range, as Terraform's {@code cidrsubnet(vpc, 4,
   * index)} computes it, but as a literal: written into a {@code cidrsubnet("...")} call, the input
   * would be part of an expression, where a quote ends the string.
   *
   * @throws IllegalArgumentException naming the cluster when {@code vpcCidr} is not an IPv4 CIDR
   *     with room for the subnet
   */
  static String subnetCidr(String cluster, String vpcCidr, int index) {
    Matcher m = IPV4_CIDR.matcher(vpcCidr);
    long address = 0;
    boolean valid = m.matches() && index >= 0 && index < 16;
    for (int octet = 1; valid && octet <= 4; octet++) {
      int value = Integer.parseInt(m.group(octet));
      valid = value <= 255;
      address = (address << 8) | value;
    }
    int prefix = valid ? Integer.parseInt(m.group(5)) : 0;
    if (!valid || prefix > 28) {
      throw new IllegalArgumentException(
          "cluster "
              + cluster
              + ": infrastructure.vpcCidr '"
              + (vpcCidr.length() > 40 ? vpcCidr.substring(0, 37) + "..." : vpcCidr)
              + "' is not an IPv4 CIDR (a.b.c.d/16 to /24) with room for subnet "
              + (index + 1)
              + "; fix it in the cluster.yaml");
    }
    int bits = prefix + 4;
    long mask = (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    long subnet = (address & mask) | ((long) index << (32 - bits));
    return (subnet >> 24 & 255)
        + "."
        + (subnet >> 16 & 255)
        + "."
        + (subnet >> 8 & 255)
        + "."
        + (subnet & 255)
        + "/"
        + bits;
  }

  /** A Terraform-safe logical id: {@code eu-west-1a} becomes {@code eu_west_1a}. */
  static String logicalId(String name) {
    String id = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return Character.isDigit(id.charAt(0)) ? "_" + id : id;
  }

  private static String assumeRolePolicy(String service) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Principal\":{\"Service\":\""
        + service
        + "\"},\"Action\":\"sts:AssumeRole\"}]}";
  }
}
