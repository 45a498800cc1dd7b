package dev.fleetwarden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BearerTokenTest {
  final BearerToken token = new BearerToken("s3cret-token");

  @Test
  void acceptsOnlyTheBearerSchemeWithTheExactToken() {
    assertThat(token.accepts("Bearer s3cret-token")).isTrue();
    assertThat(token.accepts("bearer s3cret-token")).isTrue();
    assertThat(token.accepts("BEARER   s3cret-token ")).isTrue();
    assertThat(token.accepts(null)).isFalse();
    assertThat(token.accepts("")).isFalse();
    assertThat(token.accepts("Bearer ")).isFalse();
    assertThat(token.accepts("Bearer")).isFalse();
    assertThat(token.accepts("s3cret-token")).isFalse();
    assertThat(token.accepts("Basic s3cret-token")).isFalse();
    assertThat(token.accepts("Bearer s3cret-tokeN")).isFalse();
    assertThat(token.accepts("Bearer s3cret-token2")).isFalse();
    assertThat(token.accepts("Bearer s3cret")).isFalse();
  }

  @Test
  void anEmptyTokenIsRefused() {
    assertThatThrownBy(() -> new BearerToken(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
