package io.vigil.agent.process;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few libc calls the agent needs, bound with JNA. Linux x86_64 constants. Errors are read
 * with {@link Native#getLastError()} right after a call returned -1 (JNA keeps errno per thread).
 */
interface LibC extends Library {

  LibC INSTANCE = Native.load("c", LibC.class);

  int EPERM = 1;
  int ESRCH = 3;
  int EINTR = 4;
  int ECHILD = 10;
  int ENOSYS = 38;

  int SIGKILL = 9;

  /** waitid(2) idtype and options, from {@code <sys/wait.h>}. */
  int P_ALL = 0;

  int WNOHANG = 1;
  int WEXITED = 4;
  int WNOWAIT = 0x01000000;

  /** Size of siginfo_t and offset of si_pid in it (x86_64). */
  int SIGINFO_SIZE = 128;

  int SIGINFO_PID_OFFSET = 16;

  int PR_SET_CHILD_SUBREAPER = 36;

  /** pidfd_open(2) has no glibc wrapper before 2.36; call it by number. */
  long SYS_PIDFD_OPEN = 434;

  int EFD_CLOEXEC = 0x80000;
  int O_CLOEXEC = 0x80000;
  short POLLIN = 1;

  int SC_CLK_TCK = 2;
  int SC_PAGESIZE = 30;

  long sysconf(int name);

  int kill(int pid, int sig);

  int geteuid();

  /** Returns 0 or an error number (not -1 and errno). Sets are glibc's 128-byte sigset_t. */
  int pthread_sigmask(int how, long[] set, long[] oldset);

  int getpid();

  int prctl(int option, long arg2, long arg3, long arg4, long arg5);

  int waitid(int idtype, int id, Pointer infop, int options);

  int waitpid(int pid, Pointer status, int options);

  int pipe2(int[] fds, int flags);

  long syscall(long number, Object... args);

  int poll(Pointer fds, long nfds, int timeoutMillis);

  int eventfd(int initval, int flags);

  long read(int fd, Pointer buf, long count);

  long write(int fd, Pointer buf, long count);

  int close(int fd);

  int getpwnam_r(
      String name, Pointer pwd, Pointer buf, long buflen, PointerByReference result);

  static int errno() {
    return Native.getLastError();
  }
}
