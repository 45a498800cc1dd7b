package dev.fleetwarden.preview;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.ResourceId;
import java.util.List;

/**
 * A preview for people at a terminal: the headline, the head's problems as {@code FILE:LINE:COLUMN:
 * message}, then per cluster its objects ({@code +} added, {@code -} removed, {@code ~} modified,
 * fields {@code before → after}), its Terraform resources, the live changes merging would revert
 * and the drift it would adopt. Every string from the fleet repo or a cluster is capped and its
 * control characters shown as symbols, so no value can move the cursor, recolor the terminal or
 * start a line of its own.
 */
public final class PreviewText {
  private PreviewText() {}

  public static String format(Preview p) {
    StringBuilder sb = new StringBuilder();
    sb.append("preview ")
        .append(Phrases.shortRev(p.base()))
        .append("..")
        .append(Phrases.shortRev(p.head()))
        .append(": ")
        .append(Phrases.headline(p))
        .append('\n');
    for (FleetError e : p.errors()) {
      sb.append("  ").append(t(e.toString(), Reflected.MESSAGE)).append('\n');
    }
    for (ClusterPreview c : p.clusters()) {
      sb.append('\n').append(name(c.name()));
      if (c.live() != null) {
        sb.append("  (live state ").append(t(c.live(), Reflected.MESSAGE)).append(')');
      }
      sb.append('\n');
      if (c.note() != null) {
        sb.append("  note: ").append(t(c.note(), Reflected.MESSAGE)).append('\n');
      }
      objects(sb, c.objects(), "  ");
      if (!c.terraform().isEmpty()) {
        sb.append("  terraform:\n");
        objects(sb, c.terraform(), "    ");
      }
      if (!c.overwritesDrift().isEmpty()) {
        sb.append("  overwrites live drift:\n");
        for (DriftOverwrite o : c.overwritesDrift()) {
          sb.append("  ! ")
              .append(id(o.resource()))
              .append(' ')
              .append(name(o.path()))
              .append(": live ")
              .append(value(o.live()))
              .append(", head sets ")
              .append(value(o.desired()))
              .append(" — ")
              .append(Phrases.reverts(o.manager() == null ? null : name(o.manager()), o.time()))
              .append('\n');
        }
      }
      if (!c.resolvesDrift().isEmpty()) {
        sb.append("  resolves live drift (the head adopts the live state):\n");
        for (DriftResolution r : c.resolvesDrift()) {
          sb.append("  ✓ ").append(id(r.resource()));
          if (!r.path().isEmpty()) {
            sb.append(' ').append(name(r.path()));
          }
          sb.append('\n');
        }
      }
    }
    return sb.toString();
  }

  private static void objects(StringBuilder sb, List<ObjectChange> changes, String indent) {
    for (ObjectChange o : changes) {
      sb.append(indent)
          .append(o.change().symbol())
          .append(' ')
          .append(id(o.resource()))
          .append("  ")
          .append(o.change().label())
          .append('\n');
      for (FieldChange f : o.fields()) {
        sb.append(indent)
            .append("    ")
            .append(name(f.path()))
            .append(": ")
            .append(value(f.before()))
            .append(" → ")
            .append(value(f.after()))
            .append('\n');
      }
    }
  }

  private static String id(ResourceId id) {
    return t(Reflected.id(id).withinCluster(), Integer.MAX_VALUE);
  }

  private static String name(String s) {
    return t(s, Reflected.NAME);
  }

  private static String value(JsonNode v) {
    return t(Reflected.show(v), Integer.MAX_VALUE);
  }

  private static String t(String s, int max) {
    return s == null ? "" : Reflected.visible(Reflected.cap(s, max));
  }
}
