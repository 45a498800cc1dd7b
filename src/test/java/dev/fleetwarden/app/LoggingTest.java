package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.HostileStrings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Log lines written through the real Logback configurations (the service's, set by {@link
 * Logging#configure}, and the CLI's {@code logback.xml}) with hostile values in the message, the
 * MDC and an exception: each event is exactly one line (plus its stack trace), and no ESC or
 * carriage return reaches the log.
 */
class LoggingTest {
  private static final Pattern SERVICE_LINE =
      Pattern.compile(
          "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* (WARN|INFO|ERROR) .*");
  private static final Pattern CLI_LINE =
      Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|INFO|ERROR) .*");
  private static final Pattern STACK_LINE =
      Pattern.compile(
          "^(java\\.lang\\.\\w+: |Caused by: java\\.lang\\.\\w+: |\\tat |\\t\\.\\.\\. ).*");

  /** Logs what the service logs from outside: a webhook delivery id, a ref, a Helm error. */
  private static void logHostileEvents(Logger log) {
    MDC.put("cluster", HostileStrings.LOG_FORGERY);
    MDC.put("resource", HostileStrings.ESC);
    try {
      log.warn(
          "Rejected GitHub webhook delivery {}: {} signature",
          HostileStrings.LOG_FORGERY,
          "missing");
      log.warn(
          "GitHub push {} {} -> {}",
          HostileStrings.MIXED,
          "refs/heads/" + HostileStrings.NEWLINES,
          HostileStrings.CARRIAGE_RETURN);
      log.error(
          "render failed, nothing compared: {}",
          "Error: execution error at (ingress/templates/x.yaml:3:4): " + HostileStrings.ESC,
          new IllegalStateException(
              HostileStrings.LOG_FORGERY, new RuntimeException(HostileStrings.NEWLINES)));
    } finally {
      MDC.remove("cluster");
      MDC.remove("resource");
    }
  }

  /** Output written to System.err while {@code body} runs. */
  private static String stderrOf(Runnable body) {
    PrintStream original = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.err.flush();
      System.setErr(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static void assertOneLinePerEvent(String out, Pattern eventLine) {
    assertThat(out).doesNotContain("\u001b").doesNotContain("\r");
    List<String> events = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (eventLine.matcher(line).matches()) {
        events.add(line);
      } else {
        assertThat(line).as("a stack trace line, not a forged one").matches(STACK_LINE);
      }
    }
    assertThat(events).as(out).hasSize(3);
    assertThat(events.get(0))
        .contains("delivery ok\\n2026-01-01T00:00:00.000Z INFO  dev.fleetwarden.Forged");
    assertThat(out).contains("IllegalStateException: ok\\n2026-01-01");
    assertThat(out).contains("\tat dev.fleetwarden.app.LoggingTest");
  }

  @Test
  void serviceTextLogHasOneLinePerEvent() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    try {
      String out =
          stderrOf(
              () -> {
                Logging.configure("text", "info");
                logHostileEvents(LoggerFactory.getLogger("dev.fleetwarden.server.FleetServer"));
              });
      assertOneLinePerEvent(out, SERVICE_LINE);
      assertThat(out).contains("[ok\\n2026-01-01");
    } finally {
      context.reset();
      new ContextInitializer(context).autoConfig();
    }
  }

  @Test
  void cliLogbackXmlHasOneLinePerEvent() throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LoggingTest.class.getResource("/logback.xml"));
    try {
      // The static MDC belongs to the test's own context: copy the values this context reads.
      String out =
          stderrOf(
              () -> {
                context.getMDCAdapter().put("cluster", HostileStrings.LOG_FORGERY);
                context.getMDCAdapter().put("resource", HostileStrings.ESC);
                logHostileEvents(context.getLogger("dev.fleetwarden.server.FleetServer"));
              });
      assertOneLinePerEvent(out, CLI_LINE);
      assertThat(out)
          .contains("ok\\n2026-01-01T00:00:00.000Z INFO  dev.fleetwarden.Forged [] admin");
    } finally {
      context.stop();
    }
  }

  @Test
  void serviceJsonLogIsOneJsonObjectPerLineHoldingTheValuesAsTheyWere() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    try {
      String out =
          stderrOf(
              () -> {
                Logging.configure("json", "info");
                logHostileEvents(LoggerFactory.getLogger("dev.fleetwarden.server.FleetServer"));
              });
      assertThat(out).doesNotContain("\u001b").doesNotContain("\r");
      String[] lines = out.strip().split("\n");
      assertThat(lines).hasSize(3);
      ObjectMapper json = new ObjectMapper();
      JsonNode first = json.readTree(lines[0]);
      assertThat(first.toString()).contains(HostileStrings.LOG_FORGERY.replace("\n", "\\n"));
      assertThat(json.readTree(lines[0]).path("mdc").path("cluster").asText())
          .isEqualTo(HostileStrings.LOG_FORGERY);
      assertThat(json.readTree(lines[2]).toString()).contains("IllegalStateException");
    } finally {
      context.reset();
      new ContextInitializer(context).autoConfig();
    }
  }
}
