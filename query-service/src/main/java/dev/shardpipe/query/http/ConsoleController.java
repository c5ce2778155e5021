package dev.shardpipe.query.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;

/**
 * Sends {@code /console} to {@code /console/}, where the console's page is served from the jar;
 * relative to the page's own address its scripts and styles then resolve under {@code /console/}.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
final class ConsoleController {

  /**
   * Redirects to the console's page.
   *
   * @return {@code 303 See Other} to {@code /console/index.html}
   */
  @Hidden
  @Get("/console")
  HttpResponse<Void> console() {
    return HttpResponse.seeOther(URI.create("/console/index.html"));
  }
}
