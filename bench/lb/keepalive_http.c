/*
 * keepalive_http: the load balancer benchmark's backend. A single-threaded, non-blocking
 * HTTP/1.1 server on 127.0.0.1 that answers every request with "200 OK" and a short body
 * naming its pid, and KEEPS THE CONNECTION OPEN (bench/backend/tiny_http.c closes after each
 * answer, which would make a proxy benchmark measure connection set-up instead of proxying).
 *
 *   keepalive_http [PORT]        the port comes from argv[1], else from $PORT
 *
 * Build: gcc -O2 -Wall -o keepalive_http keepalive_http.c
 *
 * One epoll instance, level-triggered. Per connection: an input buffer (a request head may be
 * at most IN_BUF bytes) and an output buffer. Every complete request in the input (pipelined
 * ones too) gets one answer, in order. A request is its head up to the first empty line plus
 * Content-Length bytes of body, which are skipped; a chunked body is not supported (answered,
 * then the connection is closed). The connection is closed after the answer when the request
 * says "Connection: close", or is HTTP/1.0 without "Connection: keep-alive", or when the peer
 * closes. SIGTERM and SIGINT end the process at once (default action); SIGPIPE is ignored.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 65536
#define IN_BUF 16384
#define OUT_BUF 65536
#define MAX_EVENTS 128

struct conn {
  char *in;         /* IN_BUF bytes */
  int in_len;
  long skip;        /* body bytes of the current request still to discard */
  char *out;        /* OUT_BUF bytes */
  int out_len, out_off;
  int close_after;  /* close once out is flushed */
  int want_out;     /* EPOLLOUT registered */
};

static struct conn *conns[MAX_FDS];
static char resp_ka[256], resp_close[256];
static int resp_ka_len, resp_close_len;

static void drop(int ep, int fd) {
  epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
  close(fd);
  if (conns[fd]) {
    free(conns[fd]->in);
    free(conns[fd]->out);
    free(conns[fd]);
    conns[fd] = NULL;
  }
}

/* Case-insensitive search for a header line "name: ... token ..." in head[0..len). */
static int header_has(const char *head, int len, const char *name, const char *token) {
  size_t nl = strlen(name), tl = strlen(token);
  const char *p = head, *end = head + len;
  /* skip the request line */
  while (p < end && *p != '\n') p++;
  while (p < end) {
    p++; /* past '\n' */
    const char *line = p;
    while (p < end && *p != '\n') p++;
    size_t ll = (size_t)(p - line);
    if (ll > nl && strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
      for (const char *q = line + nl + 1; q + tl <= line + ll; q++)
        if (strncasecmp(q, token, tl) == 0) return 1;
    }
  }
  return 0;
}

static long content_length(const char *head, int len) {
  const char *p = head, *end = head + len;
  while (p < end && *p != '\n') p++;
  while (p < end) {
    p++;
    const char *line = p;
    while (p < end && *p != '\n') p++;
    if (p - line > 15 && strncasecmp(line, "content-length:", 15) == 0) {
      long v = 0;
      const char *q = line + 15;
      while (q < p && (*q == ' ' || *q == '\t')) q++;
      while (q < p && isdigit((unsigned char)*q)) v = v * 10 + (*q++ - '0');
      return v;
    }
  }
  return 0;
}

static void set_events(int ep, int fd, int want_out) {
  struct conn *c = conns[fd];
  if (c->want_out == want_out) return;
  c->want_out = want_out;
  struct epoll_event ev = {.events = (want_out ? EPOLLOUT : EPOLLIN) | EPOLLRDHUP, .data.fd = fd};
  epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* Writes what is buffered; returns -1 if the connection was dropped. */
static int flush_out(int ep, int fd) {
  struct conn *c = conns[fd];
  while (c->out_off < c->out_len) {
    ssize_t w = write(fd, c->out + c->out_off, c->out_len - c->out_off);
    if (w > 0) {
      c->out_off += (int)w;
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      set_events(ep, fd, 1); /* stop reading until the client takes what we wrote */
      return 0;
    } else {
      drop(ep, fd);
      return -1;
    }
  }
  c->out_len = c->out_off = 0;
  if (c->close_after) {
    drop(ep, fd);
    return -1;
  }
  set_events(ep, fd, 0);
  return 0;
}

/* Answers every complete request in the input buffer; returns -1 if the connection was dropped. */
static int process(int ep, int fd) {
  struct conn *c = conns[fd];
  int pos = 0;
  while (pos < c->in_len && !c->close_after) {
    if (c->skip > 0) {
      int n = c->in_len - pos < c->skip ? c->in_len - pos : (int)c->skip;
      pos += n;
      c->skip -= n;
      continue;
    }
    char *start = c->in + pos;
    int avail = c->in_len - pos;
    char *eoh = memmem(start, avail, "\r\n\r\n", 4);
    int head_len;
    if (eoh) {
      head_len = (int)(eoh - start) + 4;
    } else {
      eoh = memmem(start, avail, "\n\n", 2);
      if (!eoh) break; /* incomplete head */
      head_len = (int)(eoh - start) + 2;
    }
    int http10 = memmem(start, head_len, "HTTP/1.0", 8) != NULL;
    int close = header_has(start, head_len, "connection", "close") ||
                (http10 && !header_has(start, head_len, "connection", "keep-alive")) ||
                header_has(start, head_len, "transfer-encoding", "chunked");
    const char *r = close ? resp_close : resp_ka;
    int rl = close ? resp_close_len : resp_ka_len;
    if (c->out_len + rl > OUT_BUF) {
      /* a client pipelining without reading: flush, and stop if the socket is full */
      if (flush_out(ep, fd) < 0) return -1;
      if (c->want_out) break;
    }
    c->skip = content_length(start, head_len);
    pos += head_len;
    memcpy(c->out + c->out_len, r, rl);
    c->out_len += rl;
    if (close) c->close_after = 1;
  }
  c->in_len -= pos;
  if (c->in_len > 0 && pos > 0) memmove(c->in, c->in + pos, c->in_len);
  if (c->in_len >= IN_BUF) { /* head too large */
    drop(ep, fd);
    return -1;
  }
  if (c->out_len > 0 && !c->want_out) return flush_out(ep, fd);
  return 0;
}

/* One read per readiness event: epoll is level-triggered, so anything left is reported again. */
static void on_readable(int ep, int fd) {
  struct conn *c = conns[fd];
  for (;;) {
    ssize_t r = read(fd, c->in + c->in_len, IN_BUF - c->in_len);
    if (r > 0) {
      c->in_len += (int)r;
      process(ep, fd);
      return;
    } else if (r == 0) {
      drop(ep, fd); /* peer closed: anything unanswered is dropped with it */
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

int main(int argc, char **argv) {
  const char *port_s = argc > 1 ? argv[1] : getenv("PORT");
  if (port_s == NULL || *port_s == '\0') {
    fprintf(stderr, "usage: keepalive_http PORT (or set $PORT)\n");
    return 2;
  }
  char *end;
  long port = strtol(port_s, &end, 10);
  if (*end != '\0' || port < 1 || port > 65535) {
    fprintf(stderr, "keepalive_http: bad port '%s'\n", port_s);
    return 2;
  }

  int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (ls < 0) {
    perror("keepalive_http: socket");
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
    fprintf(stderr, "keepalive_http: bind 127.0.0.1:%ld: %s\n", port, strerror(errno));
    return 1;
  }
  if (listen(ls, 1024) < 0) {
    perror("keepalive_http: listen");
    return 1;
  }

  signal(SIGPIPE, SIG_IGN);
  char body[64];
  int body_len = snprintf(body, sizeof body, "ok pid=%ld\n", (long)getpid());
  resp_ka_len = snprintf(resp_ka, sizeof resp_ka,
                         "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                         "\r\n%s",
                         body_len, body);
  resp_close_len = snprintf(resp_close, sizeof resp_close,
                            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                            "Connection: close\r\n\r\n%s",
                            body_len, body);

  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) {
    perror("keepalive_http: epoll_create1");
    return 1;
  }
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = ls};
  epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);

  struct epoll_event events[MAX_EVENTS];
  for (;;) {
    int n = epoll_wait(ep, events, MAX_EVENTS, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      perror("keepalive_http: epoll_wait");
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
          struct conn *cn = calloc(1, sizeof *cn);
          char *in = malloc(IN_BUF), *out = malloc(OUT_BUF);
          if (!cn || !in || !out) {
            free(cn);
            free(in);
            free(out);
            close(c);
            continue;
          }
          cn->in = in;
          cn->out = out;
          conns[c] = cn;
          setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          struct epoll_event cev = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = c};
          if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev) < 0) drop(ep, c);
        }
      } else if (conns[fd] == NULL) {
        continue; /* dropped earlier in this batch */
      } else if (conns[fd]->want_out && (events[i].events & EPOLLOUT)) {
        if (flush_out(ep, fd) == 0 && conns[fd] && conns[fd]->in_len > 0) process(ep, fd);
      } else if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        on_readable(ep, fd);
      }
    }
  }
}
