package io.vigil.api;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks what needs {@code Authorization: Bearer TOKEN} when a token file is configured: every
 * action, the logs and the events. Read-only status stays open. Binds {@link TokenFilter}.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@interface RequiresToken {}
