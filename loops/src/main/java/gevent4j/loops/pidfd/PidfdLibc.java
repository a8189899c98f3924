package gevent4j.loops.pidfd;

/**
 * The C library calls behind {@link LinuxPidfds}. All save {@code errno} (JNR's default), read back
 * with {@code jnr.ffi.LastError}. There is deliberately no {@code waitpid} here and no
 * {@code waitid} without {@code WNOWAIT}: gevent4j never reaps a process.
 */
public interface PidfdLibc {

    /** {@code pidfd_open}'s number on every architecture with the generic syscall table, and on x86_64. */
    long SYS_PIDFD_OPEN = 434;

    int P_PID = 1;
    int WNOHANG = 0x1;
    int WEXITED = 0x4;
    int WNOWAIT = 0x1000000;

    int EPERM = 1;
    int ESRCH = 3;
    int ECHILD = 10;
    int EMFILE = 24;
    int ENOSYS = 38;

    /** {@code siginfo_t} is 128 bytes on Linux. */
    int SIGINFO_INTS = 32;
    /** {@code si_pid}: after {@code si_signo}, {@code si_errno}, {@code si_code} and the padding of LP64's 8-aligned union. */
    int SIGINFO_PID_INDEX = 4;

    /** {@code long syscall(long number, ...)}, with two arguments. */
    @jnr.ffi.annotations.Variadic(fixedCount = 1)
    long syscall(long number, long arg1, long arg2);

    /** {@code int waitid(idtype_t idtype, id_t id, siginfo_t* infop, int options)}. */
    int waitid(int idtype, int id, int[] infop, int options);

    int close(int fd);

    int getpid();
}
