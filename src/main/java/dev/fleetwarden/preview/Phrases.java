package dev.fleetwarden.preview;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The sentences every form of a preview shares, so the terminal, the JSON reader and the pull
 * request read the same words. Names in them are not escaped: each sink escapes what it inserts.
 */
final class Phrases {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private Phrases() {}

  /**
   * What merging reverts: {@code "merging this reverts kubectl-edit's change of 2026-11-23 02:14
   * UTC"}, with {@code manager} as the sink shows it.
   */
  static String reverts(String manager, Instant time) {
    String who = manager == null ? "a live change" : manager + "'s change";
    return "merging this reverts " + who + (time == null ? "" : " of " + TIME.format(time));
  }

  /** {@code "1 cluster"}, {@code "2 clusters"}. */
  static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  /** The first 12 characters of a commit id. */
  static String shortRev(String rev) {
    return rev == null ? "-" : rev.substring(0, Math.min(12, rev.length()));
  }

  /** One line saying what the change does, for the top of every form. */
  static String headline(Preview p) {
    if (!p.valid()) {
      return "the head is invalid: " + plural(p.errors().size(), "problem");
    }
    long changed = p.changed().size();
    if (changed == 0) {
      return "no cluster's desired state changes";
    }
    long objects = p.changed().stream().mapToLong(c -> c.objects().size()).sum();
    long terraform = p.changed().stream().mapToLong(c -> c.terraform().size()).sum();
    StringBuilder sb =
        new StringBuilder(plural(changed, "cluster"))
            .append(changed == 1 ? " changes" : " change")
            .append(" desired state (")
            .append(plural(objects, "object"));
    if (terraform > 0) {
      sb.append(", ").append(plural(terraform, "Terraform resource"));
    }
    sb.append(')');
    if (p.overwrites() > 0) {
      sb.append("; overwrites ").append(plural(p.overwrites(), "live change"));
    }
    if (p.resolutions() > 0) {
      sb.append("; adopts ").append(plural(p.resolutions(), "live drift"));
    }
    return sb.toString();
  }
}
