/*
 * tiny_http: the benchmark backend. A single-threaded, non-blocking HTTP server on 127.0.0.1
 * that answers every request with "200 OK" and a short body naming its pid. It listens before
 * doing anything else: it accepts connections about 1 ms after its parent forks it.
 *
 *   tiny_http [PORT]        the port comes from argv[1], else from $PORT
 *
 * Build: gcc -O2 -o tiny_http tiny_http.c
 *
 * One epoll instance; per connection a small fixed buffer. A request is complete at the first
 * empty line ("\r\n\r\n" or "\n\n"), when the buffer is full, or when the peer stops sending
 * (EOF); the answer is then written (usually in one write). Connections persist as HTTP/1.1 says
 * (RFC 9112 section 9.3), as most real servers do: after an HTTP/1.1 request without
 * "Connection: close" the connection stays open for the next request; after an HTTP/1.0
 * request, a "Connection: close" one, a full buffer or EOF the answer says "Connection: close"
 * and the socket is closed. SIGTERM and SIGINT end the process at once (default action); SIGPIPE
 * is ignored.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 4096
#define REQ_BUF 1024
#define MAX_EVENTS 64

struct conn {
  int used;          /* bytes of request data buffered */
  int sent;          /* bytes of the response written so far; -1 while reading */
  int keep;          /* the response being written leaves the connection open */
  char buf[REQ_BUF]; /* the request head being read (and anything pipelined after it) */
};

static struct conn conns[MAX_FDS];
static char resp_keep[256], resp_close[256];
static int resp_keep_len, resp_close_len;

static void drop(int ep, int fd) {
  epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
  close(fd);
  conns[fd].used = 0;
  conns[fd].sent = -1;
}

/* The length of the request head at the start of buf (terminator included), or 0. */
static int head_length(const char *buf, int n) {
  for (int i = 0; i + 1 < n; i++) {
    if (buf[i] == '\n' && buf[i + 1] == '\n') return i + 2;
    if (i + 3 < n && buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' &&
        buf[i + 3] == '\n')
      return i + 4;
  }
  return 0;
}

/* Does the line at p (up to end) start with name, case-insensitively? */
static int line_starts(const char *p, const char *end, const char *name) {
  size_t len = strlen(name);
  return (size_t)(end - p) >= len && strncasecmp(p, name, len) == 0;
}

/* 1 if the connection may stay open after answering this request head. */
static int keeps_alive(const char *head, int n) {
  const char *end = head + n;
  const char *eol = memchr(head, '\n', n);
  if (eol == NULL) return 0;
  const char *v = eol;
  if (v > head && v[-1] == '\r') v--;
  if (v - head < 8 || memcmp(v - 8, "HTTP/1.1", 8) != 0) return 0; /* HTTP/1.0 and older */
  for (const char *line = eol + 1; line < end;) {
    const char *next = memchr(line, '\n', end - line);
    if (next == NULL) next = end;
    if (line_starts(line, next, "connection:")) {
      for (const char *c = line + 11; c + 5 <= next; c++) {
        if (strncasecmp(c, "close", 5) == 0) return 0;
      }
    }
    line = next + 1;
  }
  return 1;
}

/* Writes what is left of the answer; returns 1 when it is all written (or the connection is
 * gone), 0 when the socket is full and EPOLLOUT will call again. */
static int respond(int ep, int fd) {
  const char *resp = conns[fd].keep ? resp_keep : resp_close;
  int len = conns[fd].keep ? resp_keep_len : resp_close_len;
  while (conns[fd].sent < len) {
    ssize_t w = write(fd, resp + conns[fd].sent, len - conns[fd].sent);
    if (w > 0) {
      conns[fd].sent += (int)w;
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      struct epoll_event ev = {.events = EPOLLOUT, .data.fd = fd};
      epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
      return 0;
    } else {
      drop(ep, fd);
      return 1;
    }
  }
  if (!conns[fd].keep) {
    drop(ep, fd);
    return 1;
  }
  conns[fd].sent = -1;
  return 1;
}

/* Answers every complete request in the buffer; returns 0 if the connection was closed or the
 * socket is full. */
static int serve_buffered(int ep, int fd) {
  for (;;) {
    struct conn *c = &conns[fd];
    int head = head_length(c->buf, c->used);
    if (head == 0) {
      if (c->used < REQ_BUF) return 1;
      head = c->used; /* a full buffer: answer and close */
      c->keep = 0;
    } else {
      c->keep = keeps_alive(c->buf, head);
    }
    memmove(c->buf, c->buf + head, c->used - head);
    c->used -= head;
    c->sent = 0;
    int was_keep = c->keep;
    if (!respond(ep, fd) || !was_keep) return 0;
  }
}

static void on_readable(int ep, int fd) {
  for (;;) {
    struct conn *c = &conns[fd];
    ssize_t r = read(fd, c->buf + c->used, REQ_BUF - c->used);
    if (r > 0) {
      c->used += (int)r;
      if (!serve_buffered(ep, fd)) return;
    } else if (r == 0) {
      /* the peer finished sending: answer whatever it sent (HTTP/0.9-ish clients) */
      if (c->used > 0) {
        c->keep = 0;
        c->sent = 0;
        respond(ep, fd);
      } else {
        drop(ep, fd);
      }
      return;
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return;
    } else {
      drop(ep, fd);
      return;
    }
  }
}

/* EPOLLOUT: finish the answer, then go back to reading (and answer what was pipelined). */
static void on_writable(int ep, int fd) {
  int was_keep = conns[fd].keep;
  if (!respond(ep, fd) || !was_keep) return;
  struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = fd};
  epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
  serve_buffered(ep, fd);
}

int main(int argc, char **argv) {
  const char *port_s = argc > 1 ? argv[1] : getenv("PORT");
  if (port_s == NULL || *port_s == '\0') {
    fprintf(stderr, "usage: tiny_http PORT (or set $PORT)\n");
    return 2;
  }
  char *end;
  long port = strtol(port_s, &end, 10);
  if (*end != '\0' || port < 1 || port > 65535) {
    fprintf(stderr, "tiny_http: bad port '%s'\n", port_s);
    return 2;
  }

  int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (ls < 0) {
    perror("tiny_http: socket");
    return 1;
  }
  int one = 1;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(ls, (struct sockaddr *)&addr, sizeof addr) < 0) {
    fprintf(stderr, "tiny_http: bind 127.0.0.1:%ld: %s\n", port, strerror(errno));
    return 1;
  }
  if (listen(ls, 128) < 0) {
    perror("tiny_http: listen");
    return 1;
  }

  signal(SIGPIPE, SIG_IGN);
  char body[64];
  int body_len = snprintf(body, sizeof body, "ok pid=%ld\n", (long)getpid());
  resp_keep_len = snprintf(resp_keep, sizeof resp_keep,
                           "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                           "Content-Length: %d\r\n\r\n%s",
                           body_len, body);
  resp_close_len = snprintf(resp_close, sizeof resp_close,
                            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                            "Content-Length: %d\r\nConnection: close\r\n\r\n%s",
                            body_len, body);
  /* conns[] is not initialised here: accept4 sets up each entry before its fd can have an
   * event, and touching all 4 MB of it would delay the first answer by a thousand page faults. */

  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) {
    perror("tiny_http: epoll_create1");
    return 1;
  }
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = ls};
  epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);

  struct epoll_event events[MAX_EVENTS];
  for (;;) {
    int n = epoll_wait(ep, events, MAX_EVENTS, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      perror("tiny_http: epoll_wait");
      return 1;
    }
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd == ls) {
        for (;;) {
          int c = accept4(ls, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (c < 0) break; /* EAGAIN, or a transient error: epoll reports the rest */
          if (c >= MAX_FDS) {
            close(c);
            continue;
          }
          conns[c].used = 0;
          conns[c].sent = -1;
          struct epoll_event cev = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = c};
          if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev) < 0) close(c);
        }
      } else if (conns[fd].sent >= 0) {
        on_writable(ep, fd);
      } else if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        on_readable(ep, fd);
      }
    }
  }
}
