package gevent4j.loops.pidfd;

import gevent4j.loop.ProcessDescriptors;
import gevent4j.loops.ffi.Jffi;
import gevent4j.loops.ffi.NativeLibrarySpec;
import gevent4j.loops.ffi.NativeLibraryUnavailableException;
import java.util.Set;

/**
 * {@link ProcessDescriptors} through the C library ({@code libc.so.6}) and JNR-FFI, like the
 * native loops, so that the {@code runtime} module keeps no native code. Probed once per JVM: the
 * platform is 64-bit Linux on an architecture whose {@code pidfd_open} number is known, and
 * {@code pidfd_open} of this very process succeeds (it fails with {@code ENOSYS} before Linux 5.3,
 * and with {@code EPERM} or {@code ENOSYS} under a seccomp filter that does not know it, as older
 * container runtimes' default profiles).
 */
public final class LinuxPidfds implements ProcessDescriptors {

    static final NativeLibrarySpec LIBC = new NativeLibrarySpec("libc", "libc.so.6", "libc6");
    /** Architectures whose {@code pidfd_open} is {@link PidfdLibc#SYS_PIDFD_OPEN}. */
    private static final Set<String> ARCHITECTURES = Set.of("amd64", "x86_64", "aarch64", "riscv64");

    private final Probe probe;

    public LinuxPidfds() {
        this.probe = Holder.PROBE;
    }

    private static final class Holder {
        static final Probe PROBE = Probe.load();
    }

    /** The verdict: the bindings, or why process descriptors cannot be used. */
    private record Probe(PidfdLibc libc, jnr.ffi.Runtime runtime, Throwable cause) {

        static Probe load() {
            String os = System.getProperty("os.name", "");
            String arch = System.getProperty("os.arch", "");
            if (!os.startsWith("Linux")) {
                return failed(new UnsupportedOperationException("process descriptors (pidfd_open) are Linux's; this is " + os));
            }
            if (!ARCHITECTURES.contains(arch)) {
                return failed(new UnsupportedOperationException("pidfd_open's system call number is not known here for "
                    + arch));
            }
            try {
                PidfdLibc libc = Jffi.load(PidfdLibc.class, LIBC);
                jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(libc);
                if (runtime.addressSize() != 8) {
                    return failed(new UnsupportedOperationException("gevent4j's waitid binding needs a 64-bit platform"));
                }
                long fd = libc.syscall(PidfdLibc.SYS_PIDFD_OPEN, libc.getpid(), 0);
                if (fd < 0) {
                    return failed(new UnsupportedOperationException(openFailure(jnr.ffi.LastError.getLastError(runtime))));
                }
                libc.close((int) fd);
                return new Probe(libc, runtime, null);
            } catch (NativeLibraryUnavailableException e) {
                return failed(e);
            } catch (LinkageError | RuntimeException e) {
                return failed(new UnsupportedOperationException("the C library could not be bound (" + e + ")", e));
            }
        }

        private static String openFailure(int errno) {
            String kernel = "Linux " + System.getProperty("os.version");
            return switch (errno) {
                case PidfdLibc.ENOSYS -> "pidfd_open(2) does not exist here (ENOSYS): " + kernel
                    + " is older than 5.3, or a seccomp filter hides it";
                case PidfdLibc.EPERM -> "pidfd_open(2) is refused (EPERM): a seccomp filter blocks it";
                default -> "pidfd_open(2) of this process failed with errno " + errno;
            };
        }

        private static Probe failed(Throwable cause) {
            return new Probe(null, null, cause);
        }
    }

    @Override
    public boolean isAvailable() {
        return probe.cause() == null;
    }

    @Override
    public Throwable unavailabilityCause() {
        return probe.cause();
    }

    @Override
    public String describe() {
        return probe.cause() == null
            ? "pidfd: available (pidfd_open(2) on Linux " + System.getProperty("os.version") + ")"
            : "pidfd: not available: " + probe.cause().getMessage();
    }

    private PidfdLibc libc() {
        if (probe.cause() != null) {
            throw new IllegalStateException("process descriptors are not available: " + probe.cause().getMessage(),
                probe.cause());
        }
        return probe.libc();
    }

    @Override
    public int open(long pid) {
        PidfdLibc libc = libc();
        long fd = libc.syscall(PidfdLibc.SYS_PIDFD_OPEN, pid, 0);
        return fd >= 0 ? (int) fd : -jnr.ffi.LastError.getLastError(probe.runtime());
    }

    @Override
    public void close(int pidfd) {
        libc().close(pidfd);
    }

    @Override
    public int exitState(long pid) {
        PidfdLibc libc = libc();
        // Zeroed: with WNOHANG and nothing to report, a zero si_pid is how "still running" shows.
        int[] info = new int[PidfdLibc.SIGINFO_INTS];
        if (libc.waitid(PidfdLibc.P_PID, (int) pid, info,
                PidfdLibc.WEXITED | PidfdLibc.WNOHANG | PidfdLibc.WNOWAIT) != 0) {
            return -jnr.ffi.LastError.getLastError(probe.runtime());
        }
        return info[PidfdLibc.SIGINFO_PID_INDEX] == 0 ? RUNNING : EXITED;
    }
}
