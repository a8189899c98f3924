package gevent4j.loop;

/**
 * Linux process descriptors ({@code pidfd_open(2)}, Linux 5.3+): a descriptor that becomes
 * readable when its process exits, so that any loop watches a child process with an ordinary io
 * watcher, where libev and libuv would install a {@code SIGCHLD} handler that reaps whatever child
 * exits. The implementation lives in the {@code loops} module (it calls the C library) and is
 * loaded by class name, like a {@link LoopProvider}; it is probed once per JVM.
 *
 * <p>Nothing here reaps a process: there is no {@code waitpid}, only a look at its state that
 * leaves it waitable. The code that started a child (the JDK) stays the one that reaps it.
 *
 * <p>Threading: every method may be called from any thread.
 */
public interface ProcessDescriptors {

    /** {@link #exitState}: the process has exited and is still waitable (a zombie). */
    int EXITED = 1;
    /** {@link #exitState}: the process is still running. */
    int RUNNING = 0;
    /** Linux's {@code ECHILD}, as {@link #exitState} returns it negated. */
    int ECHILD = 10;

    boolean isAvailable();

    /** Why process descriptors cannot be used here (an old kernel, a seccomp filter, ...), or null. */
    Throwable unavailabilityCause();

    /** One line for {@code info}: what is used, or why it is not available. */
    String describe();

    /**
     * {@code pidfd_open(pid, 0)}: a new close-on-exec descriptor that becomes readable once
     * {@code pid} has exited, or a negative errno ({@code -ESRCH}, {@code -EMFILE}, ...).
     */
    int open(long pid);

    /** Closes a descriptor returned by {@link #open}. */
    void close(int pidfd);

    /**
     * {@code waitid(P_PID, pid, WEXITED | WNOHANG | WNOWAIT)}: {@link #EXITED} when the child
     * {@code pid} has exited and can be reaped without waiting, {@link #RUNNING} when it has not
     * exited yet, or a negative errno ({@code -ECHILD}: not a child of this process, or already
     * reaped). The child is left as it was: {@code WNOWAIT} never reaps.
     */
    int exitState(long pid);
}
