package dev.fleetwarden.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/**
 * Log format and level of the service: text or one JSON object per line, with the MDC. In text, the
 * message, MDC values and exception messages are escaped by {@link LogText} (no line can be
 * forged); JSON escapes them by itself.
 */
final class Logging {
  /** The service's text layout; {@code %msg}, {@code %X} and {@code %ex} are {@link LogText}'s. */
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{20} [%X{cluster:-}%X{resource:-}] %msg%n%ex";

  private Logging() {}

  static void configure(String format, String level) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      configure(context, format, level);
    }
  }

  static void configure(LoggerContext context, String format, String level) {
    Encoder<ILoggingEvent> encoder;
    if ("json".equalsIgnoreCase(format)) {
      JsonEncoder json = new JsonEncoder();
      json.setContext(context);
      json.start();
      encoder = json;
    } else {
      LogText.register(context);
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setContext(context);
      text.setPattern(TEXT_PATTERN);
      text.start();
      encoder = text;
    }
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("service");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
    context.getLogger("dev.fleetwarden").setLevel(Level.toLevel(level, Level.INFO));
  }
}
