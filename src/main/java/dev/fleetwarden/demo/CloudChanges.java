package dev.fleetwarden.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Changes made behind Terraform's back, through the EC2 Query API of a local emulator (moto does
 * not verify signatures, so a placeholder SigV4 header is enough): what an engineer clicking in the
 * console would do. For demos and tests only.
 */
public final class CloudChanges {
  /** The error message of an EC2 (XML) or EKS (JSON) error response. */
  private static final Pattern ERROR =
      Pattern.compile(
          "<Message>(.*?)</Message>|\"message\"\\s*:\\s*\"(.*?)\"",
          Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

  private final String endpoint;
  private final String region;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public CloudChanges(String endpoint, String region) {
    this.endpoint = endpoint;
    this.region = region;
  }

  /** The id of the security group with this name. */
  public String securityGroupId(String groupName) throws IOException {
    String xml =
        call(
            "DescribeSecurityGroups",
            Map.of("Filter.1.Name", "group-name", "Filter.1.Value.1", groupName));
    return first(xml, "groupId", "security group " + groupName);
  }

  /** The id of the VPC whose {@code Name} tag has this value. */
  public String vpcIdByName(String name) throws IOException {
    String xml =
        call("DescribeVpcs", Map.of("Filter.1.Name", "tag:Name", "Filter.1.Value.1", name));
    return first(xml, "vpcId", "VPC named " + name);
  }

  /** Adds an inbound rule to a security group. */
  public void authorizeIngress(
      String groupId, String protocol, int fromPort, int toPort, String cidr, String description)
      throws IOException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("GroupId", groupId);
    p.put("IpPermissions.1.IpProtocol", protocol);
    p.put("IpPermissions.1.FromPort", String.valueOf(fromPort));
    p.put("IpPermissions.1.ToPort", String.valueOf(toPort));
    p.put("IpPermissions.1.IpRanges.1.CidrIp", cidr);
    if (description != null) {
      p.put("IpPermissions.1.IpRanges.1.Description", description);
    }
    call("AuthorizeSecurityGroupIngress", p);
  }

  /** Removes an inbound rule from a security group. */
  public void revokeIngress(String groupId, String protocol, int fromPort, int toPort, String cidr)
      throws IOException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("GroupId", groupId);
    p.put("IpPermissions.1.IpProtocol", protocol);
    p.put("IpPermissions.1.FromPort", String.valueOf(fromPort));
    p.put("IpPermissions.1.ToPort", String.valueOf(toPort));
    p.put("IpPermissions.1.IpRanges.1.CidrIp", cidr);
    call("RevokeSecurityGroupIngress", p);
  }

  /** Sets a tag on an EC2 resource (VPC, subnet, security group...). */
  public void createTags(String resourceId, String key, String value) throws IOException {
    call("CreateTags", Map.of("ResourceId.1", resourceId, "Tag.1.Key", key, "Tag.1.Value", value));
  }

  /** Sets the desired size of an EKS managed node group (what an autoscaler or a person does). */
  public void scaleNodeGroup(String eksCluster, String nodeGroup, int desiredSize)
      throws IOException {
    send(
        "/clusters/" + enc(eksCluster) + "/node-groups/" + enc(nodeGroup) + "/update-config",
        "eks",
        "application/json",
        "{\"scalingConfig\":{\"desiredSize\":" + desiredSize + "}}",
        "UpdateNodegroupConfig");
  }

  private String call(String action, Map<String, String> params) throws IOException {
    StringJoiner form = new StringJoiner("&");
    form.add("Action=" + action).add("Version=2016-11-15");
    params.forEach((k, v) -> form.add(enc(k) + "=" + enc(v)));
    return send(
        "/", "ec2", "application/x-www-form-urlencoded; charset=utf-8", form.toString(), action);
  }

  /** One request to the emulator, signed for {@code service} the way it expects (no real key). */
  private String send(String path, String service, String contentType, String body, String action)
      throws IOException {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    String date = now.format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", contentType)
            .header("X-Amz-Date", date)
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=testing/"
                    + date.substring(0, 8)
                    + "/"
                    + region
                    + "/"
                    + service
                    + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=0")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during " + action, e);
    }
    if (response.statusCode() >= 300) {
      Matcher m = ERROR.matcher(response.body());
      throw new IOException(
          action
              + " at "
              + endpoint
              + " failed with HTTP "
              + response.statusCode()
              + (m.find() ? ": " + (m.group(1) != null ? m.group(1) : m.group(2)) : ""));
    }
    return response.body();
  }

  private static String first(String xml, String element, String what) throws IOException {
    Matcher m = Pattern.compile("<" + element + ">([^<]+)</" + element + ">").matcher(xml);
    if (!m.find()) {
      throw new IOException("no " + what + " found at the emulator; was the stack applied?");
    }
    return m.group(1);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
