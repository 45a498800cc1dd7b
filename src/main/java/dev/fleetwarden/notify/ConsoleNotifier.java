package dev.fleetwarden.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.ledger.MessageRef;
import dev.fleetwarden.model.Reflected;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A notifier for the embedded defaults and demos: prints a readable rendering of each message
 * (header, text, fields, links) to a stream and/or appends one JSON object per call to a file
 * ({@code action}, {@code channel}, {@code ts}, {@code threadTs}, {@code text}, {@code blocks},
 * {@code at}). Message timestamps are made up, unique per instance.
 */
public final class ConsoleNotifier implements Notifier {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DATE = Pattern.compile("<!date\\^[^|>]*\\|([^>]*)>");
  private static final Pattern LINK = Pattern.compile("<([^|>]+)\\|([^>]*)>");

  private final PrintStream out;
  private final Path jsonLines;
  private final Clock clock;
  private long counter;

  /**
   * @param out where the readable rendering goes; null for none
   * @param jsonLines file the JSON lines are appended to (created when missing); null for none
   */
  public ConsoleNotifier(PrintStream out, Path jsonLines, Clock clock) {
    this.out = out;
    this.jsonLines = jsonLines;
    this.clock = clock == null ? Clock.systemUTC() : clock;
  }

  @Override
  public synchronized MessageRef post(String channel, String text, String blocks, String threadTs) {
    counter++;
    String ts = String.format("%d.%06d", clock.instant().getEpochSecond(), counter);
    MessageRef ref = new MessageRef(channel, ts);
    write("post", ref, threadTs, text, blocks);
    return ref;
  }

  @Override
  public synchronized void update(MessageRef message, String text, String blocks) {
    write("update", message, null, text, blocks);
  }

  private void write(String action, MessageRef ref, String threadTs, String text, String blocks) {
    JsonNode blockArray = parse(blocks);
    if (out != null) {
      out.print(render(action, ref, threadTs, text, blockArray));
      out.flush();
    }
    if (jsonLines != null) {
      ObjectNode line = JSON.createObjectNode();
      line.put("at", clock.instant().toString());
      line.put("action", action);
      line.put("channel", ref.channel());
      line.put("ts", ref.ts());
      if (threadTs != null) {
        line.put("threadTs", threadTs);
      }
      line.put("text", text);
      line.set("blocks", blockArray);
      try {
        Files.writeString(
            jsonLines,
            JSON.writeValueAsString(line) + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new NotifyException(
            "cannot append the notification to "
                + jsonLines
                + " ("
                + e.getClass().getSimpleName()
                + "); check that its directory exists and is writable",
            e);
      }
    }
  }

  /** The readable form of one message. */
  static String render(
      String action, MessageRef ref, String threadTs, String text, JsonNode blocks) {
    StringBuilder s = new StringBuilder();
    String what =
        switch (action) {
          case "update" -> "update of " + ref.ts();
          default -> threadTs == null ? "message " + ref.ts() : "reply to " + threadTs;
        };
    s.append("── ").append(terminal(ref.channel())).append(" · ").append(terminal(what));
    s.append(" ──\n");
    if (blocks == null || !blocks.isArray() || blocks.isEmpty()) {
      s.append(plain(text)).append('\n');
      return s.toString();
    }
    for (JsonNode block : blocks) {
      switch (block.path("type").asText()) {
        case "header" ->
            s.append("# ").append(terminal(block.path("text").path("text").asText())).append('\n');
        case "section" -> s.append(plain(block.path("text").path("text").asText())).append('\n');
        case "context" -> {
          StringBuilder line = new StringBuilder("  ");
          for (JsonNode e : block.path("elements")) {
            if (line.length() > 2) {
              line.append(" · ");
            }
            line.append(plain(e.path("text").asText()));
          }
          s.append(line).append('\n');
        }
        case "divider" -> s.append("----\n");
        default -> {}
      }
    }
    return s.toString();
  }

  /**
   * Slack mrkdwn as plain text for a terminal: dates as their UTC fallback, links as "label (url)",
   * entities decoded, and on each line every control character shown as a symbol (the message's own
   * line breaks stay; values arrive with theirs already replaced by {@link SlackText}).
   */
  static String plain(String mrkdwn) {
    String s = DATE.matcher(mrkdwn).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    s =
        LINK.matcher(s)
            .replaceAll(m -> Matcher.quoteReplacement(m.group(2) + " (" + m.group(1) + ")"));
    s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    String[] lines = s.split("\n", -1);
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        out.append('\n');
      }
      out.append(terminal(lines[i]));
    }
    return out.toString();
  }

  /** One line for the terminal: no escape sequence, no line break. */
  private static String terminal(String s) {
    return Reflected.visible(s);
  }

  private static JsonNode parse(String blocks) {
    if (blocks == null || blocks.isBlank()) {
      return JSON.createArrayNode();
    }
    try {
      return JSON.readTree(blocks);
    } catch (IOException e) {
      throw new NotifyException("blocks are not JSON: the message was built wrongly", e);
    }
  }
}
