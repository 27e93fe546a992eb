package io.vigil.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Also accept the token as {@code ?access_token=TOKEN}, for a browser's EventSource, which cannot
 * send headers. Only on the events endpoints: a token in a URL can end up in logs and history,
 * and these endpoints only read.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface QueryTokenAllowed {}
