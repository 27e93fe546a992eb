/*
 * tiny_http: the benchmark backend. A single-threaded, non-blocking HTTP/1.0-style server on
 * 127.0.0.1 that answers every request with "200 OK" and a short body naming its pid, then
 * closes the connection. It listens before doing anything else: it accepts connections about
 * 1 ms after its parent forks it.
 *
 *   tiny_http [PORT]        the port comes from argv[1], else from $PORT
 *
 * Build: gcc -O2 -o tiny_http tiny_http.c
 *
 * One epoll instance; per connection a small fixed buffer. A request is complete at the first
 * empty line ("\r\n\r\n" or "\n\n"), when the buffer is full, or when the peer stops sending
 * (EOF); the answer is then written (usually in one write) and the socket closed. SIGTERM and
 * SIGINT end the process at once (default action); SIGPIPE is ignored.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 4096
#define REQ_BUF 1024
#define MAX_EVENTS 64

struct conn {
  int used;      /* bytes of the request read so far */
  int sent;      /* bytes of the response written so far; -1 while reading */
};

static struct conn conns[MAX_FDS];
static char reqbuf[REQ_BUF]; /* scratch: requests are only scanned, never kept */
static char resp[256];
static int resp_len;

static void drop(int ep, int fd) {
  epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
  close(fd);
  conns[fd].used = 0;
  conns[fd].sent = -1;
}

/* Keeps the last 3 bytes of the request across reads so "\r\n\r\n" split between reads is seen. */
static char tails[MAX_FDS][4];

static int request_complete(int fd, const char *buf, int n) {
  char window[REQ_BUF + 4];
  int t = conns[fd].used > 3 ? 3 : conns[fd].used;
  memcpy(window, tails[fd] + (3 - t), t);
  memcpy(window + t, buf, n);
  int len = t + n;
  for (int i = 0; i + 1 < len; i++) {
    if (window[i] == '\n' && window[i + 1] == '\n') return 1;
    if (i + 3 < len && window[i] == '\r' && window[i + 1] == '\n' && window[i + 2] == '\r' &&
        window[i + 3] == '\n')
      return 1;
  }
  /* remember the last 3 bytes */
  char keep[3] = {0, 0, 0};
  int k = len >= 3 ? 3 : len;
  memcpy(keep + (3 - k), window + len - k, k);
  memcpy(tails[fd], keep, 3);
  return 0;
}

/* Writes what is left of the answer; returns 1 when the connection is finished. */
static int respond(int ep, int fd) {
  while (conns[fd].sent < resp_len) {
    ssize_t w = write(fd, resp + conns[fd].sent, resp_len - conns[fd].sent);
    if (w > 0) {
      conns[fd].sent += (int)w;
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      struct epoll_event ev = {.events = EPOLLOUT, .data.fd = fd};
      epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
      return 0;
    } else {
      break;
    }
  }
  drop(ep, fd);
  return 1;
}

static void on_readable(int ep, int fd) {
  for (;;) {
    char *buf = reqbuf;
    ssize_t r = read(fd, buf, REQ_BUF);
    if (r > 0) {
      int done = request_complete(fd, buf, (int)r);
      conns[fd].used += (int)r;
      if (done || conns[fd].used >= 64 * REQ_BUF) {
        conns[fd].sent = 0;
        respond(ep, fd);
        return;
      }
    } else if (r == 0) {
      /* the peer finished sending: answer whatever it sent (HTTP/0.9-ish clients) */
      if (conns[fd].used > 0) {
        conns[fd].sent = 0;
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
  resp_len = snprintf(resp, sizeof resp,
                      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                      "Connection: close\r\n\r\n%s",
                      body_len, body);
  for (int i = 0; i < MAX_FDS; i++) conns[i].sent = -1;

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
        respond(ep, fd);
      } else if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        on_readable(ep, fd);
      }
    }
  }
}
