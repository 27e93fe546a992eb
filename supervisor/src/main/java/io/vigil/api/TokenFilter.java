package io.vigil.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks the bearer token on {@link RequiresToken} resources; a missing or wrong token is a 401
 * with {@code WWW-Authenticate: Bearer} (RFC 6750). Lets everything through when no token file is
 * configured: config validation allows that only on a loopback address.
 */
@RequiresToken
@Priority(Priorities.AUTHENTICATION)
final class TokenFilter implements ContainerRequestFilter {
  static final String QUERY_PARAM = "access_token";
  private static final String SCHEME = "bearer ";

  private final Optional<BearerToken> token;
  @Context private ResourceInfo resource;

  TokenFilter(Optional<BearerToken> token) {
    this.token = token;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (token.isEmpty()) {
      return;
    }
    Optional<String> presented = presented(request);
    if (presented.isEmpty()) {
      request.abortWith(unauthorized("Bearer realm=\"vigil\"",
          "this needs the API token: send Authorization: Bearer TOKEN"));
    } else if (!token.get().matches(presented.get())) {
      request.abortWith(unauthorized("Bearer realm=\"vigil\", error=\"invalid_token\"",
          "the API token is wrong"));
    }
  }

  private Optional<String> presented(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header != null && header.length() > SCHEME.length()
        && header.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return Optional.of(header.substring(SCHEME.length()).trim());
    }
    if (header == null && resource.getResourceMethod() != null
        && resource.getResourceMethod().isAnnotationPresent(QueryTokenAllowed.class)) {
      return Optional.ofNullable(
          request.getUriInfo().getQueryParameters().getFirst(QUERY_PARAM));
    }
    return Optional.empty();
  }

  private static Response unauthorized(String challenge, String detail) {
    return ProblemResponse.builder(401, detail, null)
        .header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
  }
}
