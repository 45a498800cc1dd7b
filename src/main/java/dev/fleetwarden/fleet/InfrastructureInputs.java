package dev.fleetwarden.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.JsonPointers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the {@code infrastructure} block of a {@code cluster.yaml} by type, before any of it
 * reaches the cluster's CDKTF stack and Terraform: region, VPC range, availability zones,
 * Kubernetes version, node groups (names, instance types, sizes with {@code minSize ≤ desiredSize ≤
 * maxSize}), allowed CIDRs and tags (AWS limits: key 1 to 128 characters, value up to 256, letters,
 * digits, spaces and {@code _ . : / = + - @}). Each problem is one {@link FleetError} at the line
 * of the offending value. Keys that are absent are not reported here (the stack reports what it
 * needs when it is synthesized); pure.
 */
public final class InfrastructureInputs {
  /** AWS allows 50 tags per resource; the stack adds Name and three fleetwarden: tags. */
  static final int MAX_TAGS = 50;

  static final Set<String> STACK_TAGS =
      Set.of("Name", "fleetwarden:cluster", "fleetwarden:environment", "fleetwarden:role");

  /** AWS's own pattern for tag keys and values. */
  private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
  private static final Pattern ZONE = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+[a-z]");
  private static final Pattern KUBERNETES_VERSION = Pattern.compile("1\\.\\d{1,2}");
  private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
  private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
  private static final Pattern IPV4_CIDR =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
  private static final Set<String> GROUP_KEYS =
      Set.of("name", "instanceType", "minSize", "maxSize", "desiredSize");

  /** Most availability zones a stack can use: each gets a /+4 subnet of the VPC range. */
  static final int MAX_ZONES = 16;

  private final LocatedYaml.Document doc;
  private final String at;
  private final List<FleetError> errors = new ArrayList<>();

  private InfrastructureInputs(LocatedYaml.Document doc, String pointer) {
    this.doc = doc;
    this.at = pointer;
  }

  /**
   * The problems of the infrastructure block at {@code pointer} of {@code doc}; empty when it is
   * absent or not a mapping (the loader reports that).
   */
  public static List<FleetError> check(LocatedYaml.Document doc, String pointer) {
    JsonNode infra = doc.root().at(pointer);
    if (!infra.isObject()) {
      return List.of();
    }
    InfrastructureInputs c = new InfrastructureInputs(doc, pointer);
    String region = c.region(infra.get("region"));
    c.vpcCidr(infra.get("vpcCidr"));
    c.zones(infra.get("availabilityZones"), region);
    c.kubernetesVersion(infra.get("kubernetesVersion"));
    c.nodeGroups(infra.get("nodeGroups"));
    c.allowedCidrs(infra.get("allowedCidrs"));
    c.tags(infra.get("tags"));
    return List.copyOf(c.errors);
  }

  private String region(JsonNode v) {
    String region = text(v, "/region", "region");
    if (region != null && !REGION.matcher(region).matches()) {
      error("/region", "region " + show(region) + " is not an AWS region name such as eu-west-1");
      return null;
    }
    return region;
  }

  private void vpcCidr(JsonNode v) {
    String cidr = text(v, "/vpcCidr", "vpcCidr");
    if (cidr == null) {
      return;
    }
    String problem = cidrProblem(cidr, 16, 24);
    if (problem != null) {
      error(
          "/vpcCidr",
          "vpcCidr " + problem + " (AWS VPCs are /16 to /28 and the stack cuts /+4 subnets)");
    }
  }

  private void zones(JsonNode v, String region) {
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isArray() || v.isEmpty()) {
      error("/availabilityZones", "availabilityZones must be a list of at least one zone");
      return;
    }
    if (v.size() > MAX_ZONES) {
      error(
          "/availabilityZones",
          "at most " + MAX_ZONES + " availabilityZones (one /+4 subnet of the VPC each)");
    }
    Set<String> seen = new TreeSet<>();
    for (int i = 0; i < v.size(); i++) {
      String p = "/availabilityZones/" + i;
      String zone = text(v.get(i), p, "availabilityZones[" + i + "]");
      if (zone == null) {
        continue;
      }
      if (!ZONE.matcher(zone).matches()) {
        error(p, show(zone) + " is not an AWS availability zone name such as eu-west-1a");
      } else if (region != null && !zone.startsWith(region)) {
        error(p, "availability zone " + show(zone) + " is not in region " + show(region));
      } else if (!seen.add(zone)) {
        error(p, "availability zone " + show(zone) + " is listed twice; remove one");
      }
    }
  }

  private void kubernetesVersion(JsonNode v) {
    if (v == null || v.isNull()) {
      return;
    }
    if (v.isNumber()) {
      error(
          "/kubernetesVersion",
          "kubernetesVersion must be quoted, such as \"1.30\" (unquoted, YAML reads a number)");
      return;
    }
    String version = text(v, "/kubernetesVersion", "kubernetesVersion");
    if (version != null && !KUBERNETES_VERSION.matcher(version).matches()) {
      error(
          "/kubernetesVersion",
          "kubernetesVersion " + show(version) + " is not an EKS version such as \"1.30\"");
    }
  }

  private void nodeGroups(JsonNode v) {
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isArray()) {
      error("/nodeGroups", "nodeGroups must be a list of node groups");
      return;
    }
    Map<String, String> ids = new HashMap<>();
    for (int i = 0; i < v.size(); i++) {
      String p = "/nodeGroups/" + i;
      JsonNode g = v.get(i);
      if (!g.isObject()) {
        error(p, "a node group must be a mapping with name, instanceType and sizes");
        continue;
      }
      for (Iterator<String> keys = g.fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (!GROUP_KEYS.contains(key)) {
          error(
              p + "/" + JsonPointers.escape(key),
              "unknown key "
                  + show(key)
                  + "; allowed keys here: "
                  + String.join(", ", new TreeSet<>(GROUP_KEYS)));
        }
      }
      String name = required(g, p, "name");
      if (name != null && !GROUP_NAME.matcher(name).matches()) {
        error(
            p + "/name",
            "node group name "
                + show(name)
                + " must be 1 to 63 letters, digits, - or _, starting with a letter or digit");
      } else if (name != null) {
        String id = name.toLowerCase(Locale.ROOT).replace('-', '_');
        String other = ids.putIfAbsent(id, name);
        if (other != null) {
          error(
              p + "/name",
              "node group "
                  + show(name)
                  + " has the same Terraform address as "
                  + show(other)
                  + "; give it another name");
        }
      }
      String type = required(g, p, "instanceType");
      if (type != null && (type.length() > 32 || !INSTANCE_TYPE.matcher(type).matches())) {
        error(
            p + "/instanceType",
            "instanceType " + show(type) + " is not an EC2 instance type such as m6i.large");
      }
      sizes(g, p);
    }
  }

  /** The sizes with the stack's defaults: minSize 1, maxSize max(1, minSize), desired minSize. */
  private void sizes(JsonNode g, String p) {
    int min = size(g, p, "minSize");
    int max = size(g, p, "maxSize");
    int desired = size(g, p, "desiredSize");
    if (min == WRONG || max == WRONG || desired == WRONG) {
      return;
    }
    int minSize = min == ABSENT ? 1 : min;
    int maxSize = max == ABSENT ? Math.max(1, minSize) : max;
    int desiredSize = desired == ABSENT ? minSize : desired;
    if (maxSize < 1) {
      error(p + "/maxSize", "maxSize must be at least 1");
    } else if (minSize > maxSize) {
      error(
          p + (max == ABSENT ? "/minSize" : "/maxSize"),
          "minSize " + minSize + " is above maxSize " + maxSize + "; minSize ≤ maxSize must hold");
    } else if (desiredSize < minSize || desiredSize > maxSize) {
      error(
          p + (desired == ABSENT ? "" : "/desiredSize"),
          "desiredSize "
              + desiredSize
              + " is outside minSize "
              + minSize
              + " to maxSize "
              + maxSize
              + "; minSize ≤ desiredSize ≤ maxSize must hold");
    }
  }

  private static final int ABSENT = -1;
  private static final int WRONG = -2;

  /** A size of 0 or more; {@link #ABSENT}, or {@link #WRONG} when reported. */
  private int size(JsonNode g, String p, String key) {
    JsonNode v = g.get(key);
    if (v == null || v.isNull()) {
      return ABSENT;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
      error(
          p + "/" + key,
          key + " must be a whole number of nodes, 0 or more, not " + show(v.toString()));
      return WRONG;
    }
    return v.intValue();
  }

  private void allowedCidrs(JsonNode v) {
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isArray()) {
      error("/allowedCidrs", "allowedCidrs must be a list of IPv4 CIDRs such as 10.0.0.0/8");
      return;
    }
    for (int i = 0; i < v.size(); i++) {
      String p = "/allowedCidrs/" + i;
      String cidr = text(v.get(i), p, "allowedCidrs[" + i + "]");
      String problem = cidr == null ? null : cidrProblem(cidr, 0, 32);
      if (problem != null) {
        error(p, "allowed CIDR " + problem);
      }
    }
  }

  private void tags(JsonNode v) {
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isObject()) {
      error("/tags", "tags must be a mapping of tag keys to values");
      return;
    }
    Set<String> all = new TreeSet<>(STACK_TAGS);
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      String p = "/tags/" + JsonPointers.escape(key);
      all.add(key);
      int keyLength = key.codePointCount(0, key.length());
      if (keyLength < 1 || keyLength > 128) {
        error(p, "tag key " + show(key) + " must be 1 to 128 characters long, not " + keyLength);
      } else if (!TAG_TEXT.matcher(key).matches()) {
        error(p, "tag key " + show(key) + " " + TAG_CHARACTERS);
      } else if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
        error(p, "tag key " + show(key) + " starts with aws:, which AWS reserves for itself");
      }
      JsonNode value = e.getValue();
      if (!value.isValueNode() || value.isNull()) {
        error(p, "the value of tag " + show(key) + " must be a single value (\"\" for none)");
        continue;
      }
      String text = value.asText();
      int length = text.codePointCount(0, text.length());
      if (length > 256) {
        error(p, "the value of tag " + show(key) + " is " + length + " characters; AWS allows 256");
      } else if (!TAG_TEXT.matcher(text).matches()) {
        error(p, "the value " + show(text) + " of tag " + show(key) + " " + TAG_CHARACTERS);
      }
    }
    if (all.size() > MAX_TAGS) {
      error(
          "/tags",
          (all.size() - STACK_TAGS.size())
              + " tags with the stack's own "
              + STACK_TAGS.size()
              + " exceed the "
              + MAX_TAGS
              + " tags AWS allows per resource; remove some");
    }
  }

  private static final String TAG_CHARACTERS =
      "may only hold letters, digits, spaces and _ . : / = + - @ (AWS tag rules); remove the"
          + " other characters";

  /** What is wrong with an IPv4 CIDR (prefix length in bounds, network address), or null. */
  static String cidrProblem(String cidr, int minPrefix, int maxPrefix) {
    Matcher m = IPV4_CIDR.matcher(cidr);
    if (!m.matches()) {
      return show(cidr) + " is not an IPv4 CIDR such as 10.0.0.0/16";
    }
    long address = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        return show(cidr) + " is not an IPv4 CIDR: " + octet + " is over 255";
      }
      address = (address << 8) | octet;
    }
    int prefix = Integer.parseInt(m.group(5));
    if (prefix < minPrefix || prefix > maxPrefix) {
      return show(cidr) + " must have a prefix length from /" + minPrefix + " to /" + maxPrefix;
    }
    long mask = (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    if ((address & mask) != address) {
      long network = address & mask;
      return show(cidr)
          + " has host bits set; write the network address "
          + (network >> 24 & 255)
          + "."
          + (network >> 16 & 255)
          + "."
          + (network >> 8 & 255)
          + "."
          + (network & 255)
          + "/"
          + prefix;
    }
    return null;
  }

  /** A required string of a node group. */
  private String required(JsonNode g, String p, String key) {
    JsonNode v = g.get(key);
    if (v == null || v.isNull()) {
      error(p, "a node group needs '" + key + "'");
      return null;
    }
    return text(v, p + "/" + key, key);
  }

  /** A string scalar, or null (reported) when it is something else. */
  private String text(JsonNode v, String p, String what) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      error(
          p,
          what
              + " must be a string, not "
              + (v.isContainerNode() ? "a " + kind(v) : show(v.toString())));
      return null;
    }
    return v.asText();
  }

  private static String kind(JsonNode v) {
    return v.isArray() ? "list" : "mapping";
  }

  private void error(String relative, String message) {
    errors.add(doc.error(at + relative, message));
  }

  /** A value as quoted in a message: long ones are cut (they may come from anyone's commit). */
  private static String show(String value) {
    String cut = value.length() > 80 ? value.substring(0, 77) + "..." : value;
    return "'" + cut + "'";
  }
}
