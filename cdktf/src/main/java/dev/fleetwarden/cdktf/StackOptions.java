package dev.fleetwarden.cdktf;

import java.util.Map;
import java.util.TreeMap;

/**
 * How a stack reaches its cloud and where it keeps its state; the same for every cluster.
 * Credentials are never part of a stack: Terraform reads them from its environment.
 *
 * @param endpoints AWS service name to endpoint URL (e.g. {@code ec2 -> http://127.0.0.1:5000}).
 *     When non-empty the provider is set up for an emulator: no credential validation, no account
 *     lookup, no metadata API, path-style S3.
 * @param backend where the state lives
 */
public record StackOptions(Map<String, String> endpoints, Backend backend) {

  /** Local state file (the default) or an S3 bucket. */
  public record Backend(Type type, Map<String, String> settings) {
    public enum Type {
      LOCAL,
      S3
    }

    public Backend {
      settings = Map.copyOf(settings == null ? Map.of() : settings);
    }

    /** State in {@code terraform.tfstate} of the stack's working directory. */
    public static Backend local() {
      return new Backend(Type.LOCAL, Map.of());
    }

    /**
     * State in {@code s3://bucket/<keyPrefix><cluster>.tfstate}. Extra settings (e.g. {@code
     * region}, {@code dynamodb_table}) go into {@code settings}.
     */
    public static Backend s3(String bucket, String keyPrefix, Map<String, String> extra) {
      Map<String, String> s = new TreeMap<>(extra == null ? Map.of() : extra);
      s.put("bucket", bucket);
      s.put("key_prefix", keyPrefix == null ? "fleetwarden/" : keyPrefix);
      return new Backend(Type.S3, s);
    }
  }

  public StackOptions {
    endpoints = Map.copyOf(endpoints == null ? Map.of() : endpoints);
    backend = backend == null ? Backend.local() : backend;
  }

  public static StackOptions defaults() {
    return new StackOptions(Map.of(), Backend.local());
  }
}
