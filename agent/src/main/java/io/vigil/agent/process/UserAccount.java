package io.vigil.agent.process;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.Optional;

/**
 * A user from the system's user database (getpwnam_r, so NSS sources count too).
 *
 * @param gid the user's primary group
 */
record UserAccount(String name, int uid, int gid, String home) {

  /** struct passwd on x86_64: name, passwd (pointers), uid, gid (ints), gecos, dir, shell. */
  private static final int PASSWD_SIZE = 48;

  private static final int UID_OFFSET = 16;
  private static final int GID_OFFSET = 20;
  private static final int DIR_OFFSET = 32;

  private static final int ERANGE = 34;
  private static final int INITIAL_BUFFER = 16 * 1024;
  private static final int MAX_BUFFER = 1024 * 1024;

  /** Empty when no such user exists. */
  static Optional<UserAccount> lookup(String name) {
    for (int size = INITIAL_BUFFER; size <= MAX_BUFFER; size *= 2) {
      try (Memory pwd = new Memory(PASSWD_SIZE);
          Memory buf = new Memory(size)) {
        PointerByReference result = new PointerByReference();
        int rc = LibC.INSTANCE.getpwnam_r(name, pwd, buf, size, result);
        if (rc == ERANGE) {
          continue; // the entry does not fit the buffer: retry with a bigger one
        }
        if (rc != 0) {
          throw new IllegalStateException("getpwnam_r(" + name + ") failed, errno " + rc);
        }
        return Optional.ofNullable(result.getValue()).map(p -> read(name, pwd));
      }
    }
    throw new IllegalStateException("user database entry of " + name + " exceeds 1 MiB");
  }

  private static UserAccount read(String name, Pointer pwd) {
    Pointer dir = pwd.getPointer(DIR_OFFSET);
    return new UserAccount(
        name,
        pwd.getInt(UID_OFFSET),
        pwd.getInt(GID_OFFSET),
        dir == null ? "/" : dir.getString(0));
  }
}
