package dev.fleetwarden.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.CanonicalJson;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.KeyedPaths;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The identity of a drift: a hash of the cluster, the resource, the drift type, the drifted paths
 * and their live values. The same drift seen twice has the same fingerprint; a changed live value
 * gives a new one. Pure: no clock, no I/O. Field order, object key order and number spelling
 * ({@code 1} vs {@code 1.0}) do not change the fingerprint.
 */
public final class Fingerprints {
  /** Length of a fingerprint in hex characters (128 bits). */
  public static final int LENGTH = 32;

  private Fingerprints() {}

  /** The fingerprint of one drift (lower-case hex, {@value #LENGTH} characters). */
  public static String of(ObjectDrift drift) {
    return of(drift, drift.resource().toString());
  }

  /**
   * The fingerprint the drift had before resource ids carried the API group: the same hash over the
   * id printed {@code cluster/Kind/namespace/name}. Equal to {@link #of} for the core group and
   * Terraform; used to recognise findings stored before then.
   */
  public static String legacy(ObjectDrift drift) {
    ResourceId id = drift.resource();
    return of(drift, id.withGroup("").toString());
  }

  /**
   * Whether {@code stored} is the drift {@code current} reports, as stored before drift paths named
   * keyed list items by their key ({@code /spec/template/spec/containers/0/image} then, {@code
   * .../containers/name=web/image} now): same cluster, resource (or its id without the API group),
   * type and live values, and each path the same but for key segments where the stored path held an
   * index. Such a finding has another fingerprint only because its paths changed spelling.
   */
  public static boolean sameBeforeKeyedPaths(ObjectDrift stored, ObjectDrift current) {
    if (stored == null
        || current == null
        || stored.type() != current.type()
        || stored.fields().size() != current.fields().size()
        || !(stored.resource().equals(current.resource())
            || stored.resource().equals(current.resource().withGroup("")))) {
      return false;
    }
    boolean keyed = false;
    List<FieldDrift> left = new ArrayList<>(stored.fields());
    for (FieldDrift now : current.fields()) {
      FieldDrift match = null;
      for (FieldDrift before : left) {
        if (indexFormOf(now.path(), before.path()) && sameValue(before.live(), now.live())) {
          match = before;
          break;
        }
      }
      if (match == null) {
        return false;
      }
      left.remove(match);
      keyed |= !match.path().equals(now.path());
    }
    return keyed;
  }

  /** Whether {@code old} is {@code path} with each key segment ({@code k=v,...}) an index. */
  private static boolean indexFormOf(String path, String old) {
    if (path == null || old == null) {
      return false;
    }
    List<String> a = JsonPointers.split(path);
    List<String> b = JsonPointers.split(old);
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      String now = a.get(i);
      String before = b.get(i);
      if (!now.equals(before)
          && !(KeyedPaths.selector(now) != null && KeyedPaths.isIndex(before))) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameValue(JsonNode a, JsonNode b) {
    StringBuilder x = new StringBuilder();
    StringBuilder y = new StringBuilder();
    CanonicalJson.append(a, x);
    CanonicalJson.append(b, y);
    return x.toString().equals(y.toString());
  }

  private static String of(ObjectDrift drift, String resource) {
    StringBuilder sb = new StringBuilder("fleetwarden-drift-v1\n");
    sb.append(drift.resource().cluster()).append('\n');
    sb.append(resource).append('\n');
    sb.append(drift.type() == null ? "" : drift.type().label()).append('\n');
    List<FieldDrift> fields = new ArrayList<>(drift.fields());
    fields.sort(Comparator.comparing(f -> f.path() == null ? "" : f.path()));
    for (FieldDrift f : fields) {
      sb.append(f.path()).append('=');
      CanonicalJson.append(f.live(), sb);
      sb.append('\n');
    }
    return sha256(sb.toString()).substring(0, LENGTH);
  }

  /** SHA-256 of a string as lower-case hex; also used to hash alert payloads. */
  public static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
