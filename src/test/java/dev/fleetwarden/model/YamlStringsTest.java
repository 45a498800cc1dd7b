package dev.fleetwarden.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The strings a YAML 1.1 reader takes for another type, as {@code kubectl} (sigs.k8s.io/yaml,
 * go-yaml v2), Helm and SnakeYAML resolve them, and strings that stay strings written plain.
 */
class YamlStringsTest {
  @Test
  void everyYaml11FormOfAnotherTypeIsRecognized() {
    for (String s : TrickyYamlStrings.OTHER_TYPES) {
      assertThat(YamlStrings.readAsOtherType(s)).as("[%s]", s).isTrue();
    }
  }

  @Test
  void ordinaryStringsAreNot() {
    for (String s : TrickyYamlStrings.STRINGS) {
      assertThat(YamlStrings.readAsOtherType(s)).as("[%s]", s).isFalse();
    }
  }
}
