package dev.shardpipe.http.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardpipe.core.event.Violation;
import org.junit.jupiter.api.Test;

class QueryParameterFilterTest {

  @Test
  void acceptsPercentEncodedUtf8AndPlainText() {
    assertThat(
            QueryParameterFilter.violations(
                "location=s%C3%A3o+paulo&owner_id=3&flag&=x&&cursor=YWJj%3D&emoji=%F0%9F%98%80"))
        .isEmpty();
  }

  @Test
  void namesAParameterHoldingANul() {
    assertThat(QueryParameterFilter.violations("owner_id=1&location=eu%00rope"))
        .containsExactly(new Violation("location", "must not contain NUL (%00)"));
  }

  @Test
  void namesEveryParameterThatIsNotUtf8IncludingALoneSurrogate() {
    String notUtf8 = "must be UTF-8 text (no lone surrogates or other invalid byte sequences)";
    assertThat(QueryParameterFilter.violations("location=%ED%A0%80&cursor=%FF&user_id=%C0%80"))
        .containsExactly(
            new Violation("location", notUtf8),
            new Violation("cursor", notUtf8),
            new Violation("user_id", notUtf8));
  }

  @Test
  void namesABrokenEscapeAndABadNameAsSent() {
    assertThat(QueryParameterFilter.violations("limit=%4&lo%00c=x"))
        .containsExactly(
            new Violation("limit", "must be percent-encoded correctly (%XX, two hex digits)"),
            new Violation("lo%00c", "the parameter name must not contain NUL (%00)"));
  }
}
