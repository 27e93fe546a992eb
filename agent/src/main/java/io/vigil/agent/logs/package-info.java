/**
 * Per-process log files: where they live and copy-truncate rotation by size. Plain files only;
 * nothing here ever reads a child's output through a pipe.
 */
package io.vigil.agent.logs;
