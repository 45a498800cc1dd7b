package dev.fleetwarden.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compact object representation behaves exactly as Jackson's default one: the same fields in
 * the same order after any sequence of writes, the same equality and hashes (in both directions),
 * the same JSON.
 */
class CompactNodesTest {
  private static final ObjectMapper COMPACT =
      new ObjectMapper().setNodeFactory(CompactNodes.DEFAULT);
  private static final ObjectMapper PLAIN = new ObjectMapper();

  @Test
  void randomWritesLeaveTheSameMapAsALinkedHashMap() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      FieldMap compact = new FieldMap();
      Map<String, JsonNode> expected = new LinkedHashMap<>();
      int keySpace = 1 + random.nextInt(60);
      for (int op = 0; op < 300; op++) {
        // new strings each time: lookups must not depend on the same instance
        String key = new String("k" + random.nextInt(keySpace));
        JsonNode value = JsonNodeFactory.instance.numberNode(random.nextInt(5));
        switch (random.nextInt(6)) {
          case 0, 1, 2 -> assertThat(compact.put(key, value)).isEqualTo(expected.put(key, value));
          case 3 -> assertThat(compact.remove(key)).isEqualTo(expected.remove(key));
          case 4 -> {
            Iterator<Map.Entry<String, JsonNode>> it = compact.entrySet().iterator();
            Iterator<Map.Entry<String, JsonNode>> want = expected.entrySet().iterator();
            while (it.hasNext()) {
              Map.Entry<String, JsonNode> e = it.next();
              assertThat(e).isEqualTo(want.next());
              if (e.getKey().equals(key)) {
                it.remove();
                want.remove();
              }
            }
          }
          default -> {
            assertThat(compact.get(key)).isEqualTo(expected.get(key));
            assertThat(compact.containsKey(key)).isEqualTo(expected.containsKey(key));
          }
        }
        assertThat(compact.size()).isEqualTo(expected.size());
      }
      assertThat(new ArrayList<>(compact.keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
      assertThat(compact).isEqualTo(expected);
      assertThat(expected).isEqualTo(compact);
      assertThat(compact.hashCode()).isEqualTo(expected.hashCode());
      for (int k = 0; k < keySpace; k++) {
        assertThat(compact.get("k" + k)).isEqualTo(expected.get("k" + k));
      }
    }
  }

  @Test
  void parsedTreesEqualJacksonsOwnAndWriteTheSameJson() throws Exception {
    StringBuilder big = new StringBuilder("{");
    for (int i = 0; i < 100; i++) {
      big.append(i == 0 ? "" : ",").append("\"key").append(i).append("\":").append(i);
    }
    String json =
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\","
            + "\"labels\":{\"x\":\"1\",\"y\":\"2\"}},\"data\":"
            + big.append("}")
            + ",\"list\":[{\"name\":\"b\"},{}],\"n\":null}";
    JsonNode compact = COMPACT.readTree(json);
    JsonNode plain = PLAIN.readTree(json);

    assertThat(compact).isEqualTo(plain);
    assertThat(plain).isEqualTo(compact);
    assertThat(compact.hashCode()).isEqualTo(plain.hashCode());
    assertThat(COMPACT.writeValueAsString(compact)).isEqualTo(PLAIN.writeValueAsString(plain));
    assertThat(compact.at("/data/key77").intValue()).isEqualTo(77);
    assertThat(compact.get("data").get("key100")).isNull();
    assertThat(compact.get("n").isNull()).isTrue();

    ObjectNode edited = (ObjectNode) compact.get("metadata");
    edited.remove("labels");
    edited.put("namespace", "ns");
    edited.put("name", "b");
    assertThat(COMPACT.writeValueAsString(edited))
        .isEqualTo("{\"name\":\"b\",\"namespace\":\"ns\"}");
    assertThat((Object) compact.deepCopy()).isEqualTo(compact);
  }

  @Test
  void aFieldIsFoundByANameInsideText() throws Exception {
    StringBuilder json = new StringBuilder("{\"a\":1,\"bb\":2");
    for (int i = 0; i < 40; i++) {
      json.append(",\"k").append(i).append("\":").append(i);
    }
    String text = json.append("}").toString();
    for (ObjectMapper mapper : List.of(COMPACT, PLAIN)) {
      JsonNode node = mapper.readTree(text);
      JsonNode small = mapper.readTree("{\"a\":1,\"bb\":2}");
      String in = "xx\"bb\"k39\"zz";
      assertThat(CompactNodes.field(small, in, 3, 5).intValue()).isEqualTo(2);
      assertThat(CompactNodes.field(node, in, 3, 5).intValue()).isEqualTo(2);
      assertThat(CompactNodes.field(node, in, 6, 9).intValue()).isEqualTo(39);
      assertThat(CompactNodes.field(small, in, 6, 9)).isNull();
      assertThat(CompactNodes.field(node, in, 3, 4)).isNull();
      assertThat(CompactNodes.field(node, in, 9, 12)).isNull();
    }
  }

  @Test
  void shortStringsAndSmallIntegersAreOneNodeEach() throws Exception {
    JsonNode a = COMPACT.readTree("{\"p\":\"TCP\",\"n\":8080,\"big\":70000}");
    JsonNode b = COMPACT.readTree("{\"q\":\"TCP\",\"m\":8080,\"big\":70000}");
    assertThat(a.get("p")).isSameAs(b.get("q"));
    assertThat(a.get("n")).isSameAs(b.get("m"));
    assertThat(a.get("big")).isNotSameAs(b.get("big")).isEqualTo(b.get("big"));
    String longText = "x".repeat(CompactNodes.MAX_SHARED_LENGTH + 1);
    assertThat(CompactNodes.DEFAULT.textNode(longText))
        .isNotSameAs(CompactNodes.DEFAULT.textNode(longText))
        .isEqualTo(CompactNodes.DEFAULT.textNode(longText));
    assertThat(CompactNodes.EXACT.numberNode(-5).intValue()).isEqualTo(-5);
    assertThat(CompactNodes.EXACT.numberNode(Integer.MIN_VALUE).intValue())
        .isEqualTo(Integer.MIN_VALUE);
  }

  @Test
  void writingWhileIteratingIsRefused() {
    ObjectNode node = CompactNodes.DEFAULT.objectNode().put("a", 1).put("b", 2);
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    it.next();
    node.put("c", 3);
    assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);
  }

  @Test
  void entriesWriteThrough() {
    ObjectNode node = CompactNodes.DEFAULT.objectNode().put("a", 1).put("b", 2);
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    node.fields().forEachRemaining(entries::add);
    entries.get(1).setValue(JsonNodeFactory.instance.numberNode(9));
    assertThat(entries.get(0).getKey()).isEqualTo("a");
    assertThat(node.get("b").intValue()).isEqualTo(9);
  }

  /**
   * Live content is untrusted: a namespace full of distinct short strings must not grow the shared
   * table, and strings with the same hash must never be given each other's node.
   */
  @Test
  void sharedTextsStayBoundedAndNeverSwapAValue() throws Exception {
    StringBuilder flood = new StringBuilder("[");
    for (int i = 0; i < 4 * CompactNodes.SLOTS; i++) {
      flood.append(i == 0 ? "" : ",").append("\"v-").append(i).append('"');
    }
    JsonNode parsed = COMPACT.readTree(flood.append(']').toString());
    assertThat(parsed.size()).isEqualTo(4 * CompactNodes.SLOTS);
    for (int i = 0; i < parsed.size(); i += 997) {
      assertThat(parsed.get(i).textValue()).isEqualTo("v-" + i);
    }
    // an unbounded table would give back every one of them; the fixed one keeps at most SLOTS
    int stillShared = 0;
    for (int i = 0; i < parsed.size(); i++) {
      stillShared += CompactNodes.DEFAULT.textNode(new String("v-" + i)) == parsed.get(i) ? 1 : 0;
    }
    assertThat(stillShared).isPositive().isLessThanOrEqualTo(CompactNodes.SLOTS);

    // "Aa" and "BB" (and every concatenation of them) share one String hash, so one slot
    List<String> colliding = List.of("AaAa", "AaBB", "BBAa", "BBBB");
    assertThat(colliding.stream().map(String::hashCode).distinct()).hasSize(1);
    for (int round = 0; round < 3; round++) {
      for (String text : colliding) {
        assertThat(CompactNodes.DEFAULT.textNode(new String(text)).textValue()).isEqualTo(text);
      }
    }
    String longText = "y".repeat(CompactNodes.MAX_SHARED_LENGTH + 1);
    int before = CompactNodes.sharedTexts();
    for (int i = 0; i < 1000; i++) {
      CompactNodes.DEFAULT.textNode(longText + i);
    }
    assertThat(CompactNodes.sharedTexts()).as("long strings are never shared").isEqualTo(before);
  }
}
