package dev.fleetwarden.app;

import ch.qos.logback.classic.pattern.MDCConverter;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import dev.fleetwarden.model.Reflected;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Logback converters for the text log format that escape control characters ({@code \n}, {@code
 * \r}, {@code \t}, ESC and the others as {@code \}{@code uXXXX}) in everything a log line carries
 * from outside: the message with its arguments ({@code %msg}), MDC values ({@code %X}) and
 * exception messages ({@code %ex}). A webhook header, a branch name, a Helm {@code fail} message or
 * a live value can then never start a line of its own or send escape sequences to whoever reads the
 * log; stack traces keep their lines.
 *
 * <p>They replace Logback's own conversion words ({@link #WORDS}), registered by {@code
 * logback.xml} ({@code <conversionRule>}) and by {@link #register} for the service's configuration,
 * so every pattern using {@code %msg}, {@code %X} or {@code %ex} is escaped. The JSON format needs
 * none of this: JSON strings escape control characters themselves.
 */
public final class LogText {
  /** The conversion words replaced, with the converter each gets. */
  static final Map<String, Supplier<DynamicConverter<?>>> WORDS = words();

  private LogText() {}

  /** Registers the escaping converters in a Logback context, for patterns compiled afterwards. */
  @SuppressWarnings("unchecked")
  static void register(Context context) {
    Object existing = context.getObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
    Map<String, Supplier<DynamicConverter<?>>> registry =
        existing instanceof Map<?, ?> map
            ? (Map<String, Supplier<DynamicConverter<?>>>) map
            : new HashMap<>();
    registry.putAll(WORDS);
    context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, registry);
  }

  private static Map<String, Supplier<DynamicConverter<?>>> words() {
    Map<String, Supplier<DynamicConverter<?>>> words = new HashMap<>();
    for (String w : List.of("m", "msg", "message")) {
      words.put(w, Message::new);
    }
    for (String w : List.of("X", "mdc")) {
      words.put(w, Mdc::new);
    }
    for (String w : List.of("ex", "exception", "throwable")) {
      words.put(w, StackTrace::new);
    }
    return Map.copyOf(words);
  }

  /** {@code %msg}: the formatted message, control characters escaped. */
  public static final class Message extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return Reflected.escaped(super.convert(event));
    }
  }

  /** {@code %X}: MDC values, control characters escaped. */
  public static final class Mdc extends MDCConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return Reflected.escaped(super.convert(event));
    }
  }

  /** {@code %ex}: the stack trace, each exception's message with control characters escaped. */
  public static final class StackTrace extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
      return super.throwableProxyToString(new EscapedThrowable(tp));
    }
  }

  /** A throwable as logged, with its message escaped; its causes and suppressed ones too. */
  private record EscapedThrowable(IThrowableProxy tp) implements IThrowableProxy {
    @Override
    public String getMessage() {
      return Reflected.escaped(tp.getMessage());
    }

    @Override
    public String getClassName() {
      return tp.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return tp.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return tp.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
      return tp.getCause() == null ? null : new EscapedThrowable(tp.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      IThrowableProxy[] suppressed = tp.getSuppressed();
      if (suppressed == null) {
        return null;
      }
      IThrowableProxy[] out = new IThrowableProxy[suppressed.length];
      for (int i = 0; i < suppressed.length; i++) {
        out[i] = new EscapedThrowable(suppressed[i]);
      }
      return out;
    }

    @Override
    public boolean isCyclic() {
      return tp.isCyclic();
    }
  }
}
