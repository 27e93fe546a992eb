/*
 * floor_prober: the least a prober can spend on the kernel's side of HTTP probing, as a
 * reference beside Vigil and monit. One thread, one epoll instance, one kept-alive connection
 * per target (as Vigil's probes keep theirs), and per probe nothing but one send() of a
 * request written once at start and one recv() of the answer: no timeouts, no reconnects, no
 * policy, no metrics. What it costs is what the loopback TCP stack, the wake-ups of the 500
 * backends and the prober's own sleeps and wake-ups cost on this machine; whatever a real
 * supervisor spends above it is its own work.
 *
 *   floor_prober BASE_PORT COUNT COUNTS_FILE
 *
 * Probes 127.0.0.1:BASE_PORT .. BASE_PORT+COUNT-1 with "GET /" once a second each. The targets
 * are in ten groups, 100 ms apart, each group sent in one burst: Vigil launches the probes due
 * in the same 10 ms tick together, and its instances, started within a second or two, end up
 * in a handful of such ticks (its control thread wakes up 7-12 times a second at 500
 * instances). Every second it rewrites COUNTS_FILE with "SENT ANSWERED_2XX_3XX". A connection
 * that fails or closes ends the program with exit status 1: this is a benchmark, not a prober.
 *
 * Build: gcc -O2 -o floor_prober floor_prober.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_TARGETS 4096
#define GROUPS 10
#define NANOS_PER_S 1000000000LL

struct target {
  int fd;
  long long due; /* CLOCK_MONOTONIC nanoseconds of the next probe */
  char request[128];
  int request_len;
};

static struct target targets[MAX_TARGETS];

static long long now_nanos(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * NANOS_PER_S + t.tv_nsec;
}

static int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  /* blocking socket: connect at start (immediate on loopback); recv() runs only on EPOLLIN */
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static void write_counts(const char *path, long long sent, long long answered) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (f == NULL) return;
  fprintf(f, "%lld %lld\n", sent, answered);
  fclose(f);
  rename(tmp, path);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: floor_prober BASE_PORT COUNT COUNTS_FILE\n");
    return 2;
  }
  int base = atoi(argv[1]), count = atoi(argv[2]);
  const char *counts_file = argv[3];
  if (base <= 0 || count <= 0 || count > MAX_TARGETS || base + count > 65536) {
    fprintf(stderr, "floor_prober: bad BASE_PORT or COUNT (1..%d)\n", MAX_TARGETS);
    return 2;
  }
  int ep = epoll_create1(0);
  long long start = now_nanos() + NANOS_PER_S;
  for (int i = 0; i < count; i++) {
    struct target *t = &targets[i];
    t->fd = connect_to(base + i);
    if (t->fd < 0) {
      fprintf(stderr, "floor_prober: cannot connect to port %d: %s\n", base + i, strerror(errno));
      return 1;
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (unsigned)i};
    epoll_ctl(ep, EPOLL_CTL_ADD, t->fd, &ev);
    t->request_len = snprintf(t->request, sizeof t->request,
                              "GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: floor-prober\r\n\r\n",
                              base + i);
    t->due = start + (long long)(i % GROUPS) * (NANOS_PER_S / GROUPS);
  }

  long long sent = 0, answered = 0, next_report = start;
  char buf[4096];
  struct epoll_event events[64];
  for (;;) {
    long long now = now_nanos();
    long long next_due = now + NANOS_PER_S;
    for (int i = 0; i < count; i++) {
      struct target *t = &targets[i];
      if (t->due <= now) {
        if (send(t->fd, t->request, t->request_len, MSG_NOSIGNAL) != t->request_len) {
          fprintf(stderr, "floor_prober: send to port %d failed\n", base + i);
          return 1;
        }
        sent++;
        t->due += NANOS_PER_S;
      }
      if (t->due < next_due) next_due = t->due;
    }
    if (now >= next_report) {
      write_counts(counts_file, sent, answered);
      next_report += NANOS_PER_S;
    }
    if (next_report < next_due) next_due = next_report;
    long long wait_nanos = next_due - now_nanos();
    int wait_ms = wait_nanos <= 0 ? 0 : (int)((wait_nanos + 999999) / 1000000);
    int n = epoll_wait(ep, events, 64, wait_ms);
    for (int j = 0; j < n; j++) {
      int i = (int)events[j].data.u32;
      ssize_t got = recv(targets[i].fd, buf, sizeof buf, 0);
      if (got <= 0) {
        fprintf(stderr, "floor_prober: port %d closed the connection\n", base + i);
        return 1;
      }
      /* tiny_http answers in one segment: "HTTP/1.1 200 OK..." */
      if (got > 12 && memcmp(buf, "HTTP/1.", 7) == 0 && (buf[9] == '2' || buf[9] == '3')) {
        answered++;
      }
    }
  }
}
