/**
 * The operator commands that talk to a running Vigil over its REST API ({@code status}, {@code
 * restart}, {@code stop}, {@code start}, {@code reload}, {@code logs}, {@code events}) and {@code
 * completion}. A client only: it never touches the supervisor's state directly.
 */
package io.vigil.cli.client;
