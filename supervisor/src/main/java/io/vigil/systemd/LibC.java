package io.vigil.systemd;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The libc socket calls this package needs, bound with JNA: Java 17 has no AF_UNIX datagram
 * channel (JEP 380 added only stream sockets). Constants are those of Linux on x86_64 and
 * aarch64. A call that returns -1 leaves its errno in {@link Native#getLastError()} (JNA keeps
 * it per thread).
 */
interface LibC extends Library {

  LibC INSTANCE = Native.load("c", LibC.class);

  int AF_UNIX = 1;
  int SOCK_DGRAM = 2;
  int SOCK_CLOEXEC = 0x80000;

  int SOL_SOCKET = 1;
  int SO_RCVTIMEO = 20;

  /** Never raise SIGPIPE; sd_notify(3) sends with it too. */
  int MSG_NOSIGNAL = 0x4000;

  int EAGAIN = 11;

  int socket(int domain, int type, int protocol);

  int bind(int fd, byte[] addr, int addrlen);

  long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen);

  long recv(int fd, byte[] buf, long len, int flags);

  int setsockopt(int fd, int level, int optname, byte[] optval, int optlen);

  int close(int fd);

  String strerror(int errnum);
}
