package dev.fleetwarden.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.fleetwarden.ledger.DriftGroups;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DriftGroup;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.ResourceId;
import java.io.IOException;
import java.util.List;

/**
 * The machine-readable report ({@code --output json}, the status API): the model as JSON.
 *
 * <p>Whatever serializes the report model with {@link #MAPPER} gets it capped: field values at
 * {@value Reflected#VALUE} characters (a longer string, or a list or object whose compact JSON is
 * longer, becomes a string ending in {@code "… (N bytes)"}), names and paths at {@value
 * Reflected#NAME}, reasons at {@value Reflected#MESSAGE}, resource ids per segment. JSON escapes C0
 * controls by itself; {@link #MAPPER} also escapes DEL, C1 controls and bidi overrides, so the
 * output is safe to print on a terminal.
 */
public final class ReportJson {
  /** The one mapper for reports: ISO-8601 times, stable field order, capped model strings. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper(new JsonFactory().setCharacterEscapes(new ControlEscapes()))
          .registerModule(new JavaTimeModule())
          .registerModule(caps())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  /** The top level of the JSON report. */
  private record Output(List<ClusterReport> clusters, List<DriftGroup> groups) {}

  /**
   * The report as {@code diff -o json} prints it: the clusters, and the drifts two or more clusters
   * share ({@link DriftGroups}).
   */
  public static String format(FleetReport report) {
    try {
      return MAPPER.writeValueAsString(new Output(report.clusters(), DriftGroups.of(report)))
          + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report is not serializable", e);
    }
  }

  /** Caps every String and JsonNode property of the model's records, and resource ids. */
  private static SimpleModule caps() {
    SimpleModule module = new SimpleModule("fleetwarden-report-caps");
    module.addSerializer(
        ResourceId.class,
        new StdSerializer<>(ResourceId.class) {
          @Override
          public void serialize(ResourceId id, JsonGenerator gen, SerializerProvider provider)
              throws IOException {
            gen.writeString(Reflected.id(id).toString());
          }
        });
    module.setSerializerModifier(
        new BeanSerializerModifier() {
          @Override
          public List<BeanPropertyWriter> changeProperties(
              SerializationConfig config,
              BeanDescription description,
              List<BeanPropertyWriter> properties) {
            if (!description
                .getBeanClass()
                .getPackageName()
                .equals(Reflected.class.getPackageName())) {
              return properties;
            }
            for (BeanPropertyWriter w : properties) {
              Class<?> type = w.getType().getRawClass();
              if (type == String.class) {
                w.assignSerializer(
                    cappedString(
                        w.getName().equals("reason") ? Reflected.MESSAGE : Reflected.NAME));
              } else if (JsonNode.class.isAssignableFrom(type)) {
                w.assignSerializer(CAPPED_VALUE);
              }
            }
            return properties;
          }
        });
    return module;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static JsonSerializer<Object> cappedString(int max) {
    return (JsonSerializer)
        new StdSerializer<>(String.class) {
          @Override
          public void serialize(String s, JsonGenerator gen, SerializerProvider provider)
              throws IOException {
            gen.writeString(Reflected.cap(s, max));
          }
        };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final JsonSerializer<Object> CAPPED_VALUE =
      (JsonSerializer)
          new StdSerializer<>(JsonNode.class) {
            @Override
            public void serialize(JsonNode v, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
              if (v.isTextual()) {
                gen.writeString(Reflected.cap(v.textValue(), Reflected.VALUE));
                return;
              }
              if (v.isContainerNode()) {
                String compact = v.toString();
                if (compact.length() > Reflected.VALUE) {
                  gen.writeString(Reflected.cap(compact, Reflected.VALUE));
                  return;
                }
              }
              provider.defaultSerializeValue(v, gen);
            }
          };

  /** JSON's own escapes, plus DEL, C1 controls, line separators and bidi overrides. */
  private static final class ControlEscapes extends CharacterEscapes {
    private final int[] ascii;

    ControlEscapes() {
      ascii = standardAsciiEscapesForJSON();
      ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch <= 0xffff && Reflected.isControl((char) ch)
          ? new SerializedString(String.format("\\u%04x", ch))
          : null;
    }
  }
}
