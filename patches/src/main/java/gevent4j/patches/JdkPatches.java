package gevent4j.patches;

import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ACONST_NULL;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.ICONST_1;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKEINTERFACE;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.LLOAD;
import static org.objectweb.asm.Opcodes.LSTORE;
import static org.objectweb.asm.Opcodes.SWAP;

import java.util.List;
import java.util.function.Consumer;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Every JDK method gevent4j changes, in one list: the installer applies it, the docs describe it.
 * All descriptors were checked against JDK 25 (Temurin 25.0.3). Each hook calls the bootstrap
 * {@code Bridge}; when the caller is not a greenlet of the Hub, the Bridge answers "not handled"
 * and the JDK's own code runs unchanged.
 */
public final class JdkPatches {

    private JdkPatches() {
    }

    private static Hook atEntry(Consumer<MethodVisitor> code) {
        return new Hook() {
            @Override
            public void onEnter(MethodVisitor mv) {
                code.accept(mv);
            }
        };
    }

    private static Hook beforeReturn(int returnOpcode, Consumer<MethodVisitor> code) {
        return new Hook() {
            @Override
            public void beforeReturn(MethodVisitor mv, int opcode) {
                if (opcode == returnOpcode) {
                    code.accept(mv);
                }
            }
        };
    }

    /** A hook that emits {@code code} in place of the method's one call of {@code owner.name(descriptor)}. */
    private static Hook replacingCall(int opcode, String owner, String name, String descriptor,
                                      Consumer<MethodVisitor> code) {
        return new Hook() {
            @Override
            public boolean replaceCall(MethodVisitor mv, int callOpcode, String callOwner, String callName,
                                       String callDescriptor) {
                if (callOpcode != opcode || !callOwner.equals(owner) || !callName.equals(name)
                        || !callDescriptor.equals(descriptor)) {
                    return false;
                }
                code.accept(mv);
                return true;
            }

            @Override
            public int requiredCallReplacements() {
                return 1;
            }
        };
    }

    static List<Patch> all() {
        return List.of(poller(), drainedSocketReads(), selector(), dispatcherClose("sun.nio.ch.UnixDispatcher", "socket"),
            dispatcherClose("sun.nio.ch.UnixFileDispatcherImpl", "pipe and file"),
            virtualThread(), threadBuilders(), thread(), runtimeShutdownHooks(), signal(), executors(), linkedTransferQueue(), fileInputStream(),
            fileOutputStream(), fileChannel(), processHandleImpl());
    }

    private static Patch poller() {
        return new Patch("sun.nio.ch.Poller",
            "every blocking socket and channel wait of a greenlet, and Selector.select in one, waits on the Hub's loop instead of the JDK's poller threads",
            List.of(
                new Patch.Method("static void poll(int fdVal, int event, long nanos, BooleanSupplier isOpen)",
                    "poll", "(IIJLjava/util/function/BooleanSupplier;)V", atEntry(mv -> {
                        mv.visitVarInsn(ILOAD, 0);
                        mv.visitVarInsn(ILOAD, 1);
                        mv.visitVarInsn(LLOAD, 2);
                        mv.visitVarInsn(ALOAD, 4);
                        Hook.callBridge(mv, "poll", "(IIJLjava/util/function/BooleanSupplier;)Z");
                        Hook.returnIfTrue(mv);
                    })),
                new Patch.Method("static void pollSelector(int fdVal, long nanos)",
                    "pollSelector", "(IJ)V", atEntry(mv -> {
                        mv.visitVarInsn(ILOAD, 0);
                        mv.visitVarInsn(LLOAD, 1);
                        Hook.callBridge(mv, "pollSelector", "(IJ)Z");
                        Hook.returnIfTrue(mv);
                    })),
                new Patch.Method("static void stopPoll(int fdVal, int event) (the JDK's own code still runs afterwards)",
                    "stopPoll", "(II)V", atEntry(mv -> {
                        mv.visitVarInsn(ILOAD, 0);
                        mv.visitVarInsn(ILOAD, 1);
                        Hook.callBridge(mv, "stopPoll", "(II)V");
                    }))));
    }

    /** {@code sun.nio.ch.IOStatus.UNAVAILABLE}: "would block" (EAGAIN), a compile-time constant the JDK inlines too. */
    static final int IOSTATUS_UNAVAILABLE = -2;

    /**
     * The JDK's blocking socket read tries a read before it parks; in a request/response exchange
     * that read usually finds nothing. After a short read (which most likely emptied the socket)
     * the Bridge answers "would block" for the next try without the system call, and the caller
     * parks on the Hub's loop, whose level-triggered registration reports data already there on
     * its next iteration. The runtime's {@code gevent4j.hub.DrainedReads} argues why every caller
     * of {@code tryRead} parks on that answer.
     */
    private static Patch drainedSocketReads() {
        Hook hook = new Hook() {
            @Override
            public void onEnter(MethodVisitor mv) {
                mv.visitVarInsn(ALOAD, 1);
                Hook.callBridge(mv, "skipDrainedRead", "(Ljava/io/FileDescriptor;)Z");
                Label read = new Label();
                mv.visitJumpInsn(Opcodes.IFEQ, read);
                mv.visitIntInsn(Opcodes.BIPUSH, IOSTATUS_UNAVAILABLE);
                mv.visitInsn(Opcodes.IRETURN);
                mv.visitLabel(read);
                mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
            }

            @Override
            public void beforeReturn(MethodVisitor mv, int opcode) {
                mv.visitInsn(Opcodes.DUP);
                mv.visitVarInsn(ALOAD, 1);
                mv.visitVarInsn(ILOAD, 4);
                Hook.callBridge(mv, "socketRead", "(ILjava/io/FileDescriptor;I)V");
            }
        };
        return new Patch("sun.nio.ch.NioSocketImpl",
            "a greenlet's blocking socket read whose previous read came back short (and so most likely emptied the socket) "
                + "parks on the Hub's loop at once instead of first trying a read that would find nothing: one read system call per message, "
                + "as an event-driven server makes; a wrong guess costs one loop iteration",
            List.of(new Patch.Method("private int tryRead(FileDescriptor fd, byte[] b, int off, int len)",
                "tryRead", "(Ljava/io/FileDescriptor;[BII)I", hook)));
    }

    private static Patch selector() {
        Hook yieldAfterReadyKeys = beforeReturn(Opcodes.IRETURN, mv -> {
            mv.visitInsn(Opcodes.DUP);
            Hook.callBridge(mv, "afterSelect", "(I)V");
        });
        String consumer = "Ljava/util/function/Consumer;";
        return new Patch("sun.nio.ch.SelectorImpl",
            "a greenlet whose select finds keys ready at once gives the Hub to the others once, as gevent's select does: "
                + "the JDK polls with a zero timeout first, so a reactor spinning on ready keys would otherwise never wait on the Hub",
            List.of(
                new Patch.Method("public final int select(long timeout)", "select", "(J)I", yieldAfterReadyKeys),
                new Patch.Method("public final int select()", "select", "()I", yieldAfterReadyKeys),
                new Patch.Method("public final int selectNow()", "selectNow", "()I", yieldAfterReadyKeys),
                new Patch.Method("public final int select(Consumer<SelectionKey> action, long timeout)", "select",
                    "(" + consumer + "J)I", yieldAfterReadyKeys),
                new Patch.Method("public final int select(Consumer<SelectionKey> action)", "select",
                    "(" + consumer + ")I", yieldAfterReadyKeys),
                new Patch.Method("public final int selectNow(Consumer<SelectionKey> action)", "selectNow",
                    "(" + consumer + ")I", yieldAfterReadyKeys)));
    }

    private static Patch dispatcherClose(String type, String what) {
        return new Patch(type,
            what + " descriptors are dropped from the Hub's loop before the kernel can give their number to a new one",
            List.of(new Patch.Method("void close(FileDescriptor fd) (the JDK's own code still runs afterwards)",
                "close", "(Ljava/io/FileDescriptor;)V", atEntry(mv -> {
                    mv.visitVarInsn(ALOAD, 1);
                    Hook.callBridge(mv, "fdClosing", "(Ljava/io/FileDescriptor;)V");
                }))));
    }

    private static Patch virtualThread() {
        return new Patch("java.lang.VirtualThread",
            "timed parks, Thread.sleep and timed waits of greenlets use the Hub's loop timers (not the JDK's delayed-task threads); "
                + "greenlet starts are counted for the JVM's lifetime; a greenlet that cannot unmount keeps the Hub's loop running while it parks",
            List.of(
                new Patch.Method("private Future<?> schedule(Runnable command, long delay, TimeUnit unit)",
                    "schedule", "(Ljava/lang/Runnable;JLjava/util/concurrent/TimeUnit;)Ljava/util/concurrent/Future;",
                    atEntry(mv -> {
                        mv.visitVarInsn(ALOAD, 0);
                        mv.visitFieldInsn(GETFIELD, "java/lang/VirtualThread", "scheduler", "Ljava/util/concurrent/Executor;");
                        mv.visitVarInsn(ALOAD, 1);
                        mv.visitVarInsn(LLOAD, 2);
                        mv.visitVarInsn(ALOAD, 4);
                        Hook.callBridge(mv, "schedule",
                            "(Ljava/util/concurrent/Executor;Ljava/lang/Runnable;JLjava/util/concurrent/TimeUnit;)Ljava/util/concurrent/Future;");
                        Hook.returnIfNonNull(mv, "java/util/concurrent/Future");
                    })),
                new Patch.Method("void parkNanos(long nanos) (observed only: sub-resolution waits are reported once per call site)",
                    "parkNanos", "(J)V", atEntry(mv -> {
                        mv.visitVarInsn(ALOAD, 0);
                        mv.visitVarInsn(LLOAD, 1);
                        Hook.callBridge(mv, "beforeTimedPark", "(Ljava/lang/Thread;J)V");
                    })),
                new Patch.Method("void sleepNanos(long nanos) (observed only: a sleep shorter than the timer resolution is reported once per call site)",
                    "sleepNanos", "(J)V", atEntry(mv -> {
                        mv.visitVarInsn(ALOAD, 0);
                        mv.visitVarInsn(LLOAD, 1);
                        Hook.callBridge(mv, "beforeTimedPark", "(Ljava/lang/Thread;J)V");
                    })),
                new Patch.Method("void start(ThreadContainer container)",
                    "start", "(Ljdk/internal/vm/ThreadContainer;)V", atEntry(mv -> {
                        mv.visitVarInsn(ALOAD, 0);
                        Hook.callBridge(mv, "beforeStart", "(Ljava/lang/Thread;)V");
                    })),
                new Patch.Method("private void parkOnCarrierThread(boolean timed, long nanos)",
                    "parkOnCarrierThread", "(ZJ)V", atEntry(mv -> {
                        mv.visitVarInsn(ALOAD, 0);
                        mv.visitVarInsn(ILOAD, 1);
                        mv.visitVarInsn(LLOAD, 2);
                        Hook.callBridge(mv, "pinnedPark", "(Ljava/lang/Thread;ZJ)J");
                        mv.visitVarInsn(LSTORE, 2);
                    }))));
    }

    private static Patch threadBuilders() {
        return new Patch("java.lang.ThreadBuilders",
            "virtual threads the application creates itself (Thread.ofVirtual, Executors.newVirtualThreadPerTaskExecutor) run on the Hub; "
                + "every greenlet's task runs inside a gevent4j.Greenlet (Greenlet.current(), the spawn tree, the monitor)",
            List.of(new Patch.Method("static Thread newVirtualThread(Executor scheduler, String name, int characteristics, Runnable task)",
                "newVirtualThread", "(Ljava/util/concurrent/Executor;Ljava/lang/String;ILjava/lang/Runnable;)Ljava/lang/Thread;",
                atEntry(mv -> {
                    mv.visitVarInsn(ALOAD, 0);
                    Hook.callBridge(mv, "scheduler", "(Ljava/util/concurrent/Executor;)Ljava/util/concurrent/Executor;");
                    mv.visitVarInsn(ASTORE, 0);
                    mv.visitVarInsn(ALOAD, 0);
                    mv.visitVarInsn(ALOAD, 3);
                    Hook.callBridge(mv, "greenletTask", "(Ljava/util/concurrent/Executor;Ljava/lang/Runnable;)Ljava/lang/Runnable;");
                    mv.visitVarInsn(ASTORE, 3);
                }))));
    }

    private static Patch thread() {
        return new Patch("java.lang.Thread",
            "greenlets that replace platform threads keep their daemon flag (virtual threads refuse setDaemon(false))",
            List.of(
                new Patch.Method("public final void setDaemon(boolean on)", "setDaemon", "(Z)V", atEntry(mv -> {
                    mv.visitVarInsn(ALOAD, 0);
                    mv.visitVarInsn(ILOAD, 1);
                    Hook.callBridge(mv, "setDaemon", "(Ljava/lang/Thread;Z)Z");
                    Hook.returnIfTrue(mv);
                })),
                new Patch.Method("public final boolean isDaemon()", "isDaemon", "()Z",
                    beforeReturn(Opcodes.IRETURN, mv -> {
                        mv.visitVarInsn(ALOAD, 0);
                        mv.visitInsn(SWAP);
                        Hook.callBridge(mv, "isDaemon", "(Ljava/lang/Thread;Z)Z");
                    }))));
    }

    private static Patch runtimeShutdownHooks() {
        return new Patch("java.lang.Runtime",
            "a shutdown hook made with new Thread stays a platform thread: SIGTERM and System.exit must work even when a greenlet has wedged the Hub",
            List.of(
                new Patch.Method("public void addShutdownHook(Thread hook)", "addShutdownHook", "(Ljava/lang/Thread;)V",
                    atEntry(mv -> replaceHookArgument(mv, "addShutdownHook"))),
                new Patch.Method("public boolean removeShutdownHook(Thread hook)", "removeShutdownHook",
                    "(Ljava/lang/Thread;)Z", atEntry(mv -> replaceHookArgument(mv, "removeShutdownHook")))));
    }

    private static Patch signal() {
        return new Patch("jdk.internal.misc.Signal",
            "signal handlers the application registers with sun.misc.Signal.handle run as greenlets on the Hub (the JDK's own SIGTERM/SIGINT/SIGHUP handlers keep their platform thread)",
            List.of(new Patch.Method("private static void dispatch(int number)", "dispatch", "(I)V", atEntry(mv -> {
                mv.visitVarInsn(ILOAD, 0);
                Hook.callBridge(mv, "dispatchSignal", "(I)Z");
                Hook.returnIfTrue(mv);
            }))));
    }

    private static void replaceHookArgument(MethodVisitor mv, String bridgeMethod) {
        mv.visitVarInsn(ALOAD, 1);
        Hook.callBridge(mv, bridgeMethod, "(Ljava/lang/Thread;)Ljava/lang/Thread;");
        mv.visitVarInsn(ASTORE, 1);
    }

    private static Patch executors() {
        return new Patch("java.util.concurrent.Executors",
            "pools made by Executors.new*ThreadPool (and ThreadPoolExecutor without a factory) get greenlets",
            List.of(new Patch.Method("public static ThreadFactory defaultThreadFactory()",
                "defaultThreadFactory", "()Ljava/util/concurrent/ThreadFactory;",
                beforeReturn(Opcodes.ARETURN, mv -> Hook.callBridge(mv, "threadFactory",
                    "(Ljava/util/concurrent/ThreadFactory;)Ljava/util/concurrent/ThreadFactory;")))));
    }

    private static Patch linkedTransferQueue() {
        return new Patch("java.util.concurrent.LinkedTransferQueue$DualNode",
            "SynchronousQueue and LinkedTransferQueue hand-offs do not spin on the one-thread Hub, where the spin can never succeed",
            List.of(new Patch.Method("final Object await(Object e, long ns, Object blocker, boolean spin)",
                "await", "(Ljava/lang/Object;JLjava/lang/Object;Z)Ljava/lang/Object;", atEntry(mv -> {
                    mv.visitVarInsn(ILOAD, 5);
                    Hook.callBridge(mv, "spin", "(Z)Z");
                    mv.visitVarInsn(ISTORE, 5);
                }))));
    }

    private static Patch fileInputStream() {
        String fileRead = "(Ljava/io/FileInputStream;[BIIZ)J";
        return new Patch("java.io.FileInputStream",
            "stdin, pipe and file reads of greenlets never stall the Hub (the fileobject setting)",
            List.of(
                new Patch.Method("public int read()", "read", "()I", atEntry(mv -> {
                    mv.visitVarInsn(ALOAD, 0);
                    mv.visitInsn(ACONST_NULL);
                    mv.visitInsn(ICONST_0);
                    mv.visitInsn(ICONST_1);
                    mv.visitInsn(ICONST_1);
                    Hook.callBridge(mv, "fileRead", fileRead);
                    Hook.returnReadIfHandled(mv);
                })),
                new Patch.Method("public int read(byte[] b)", "read", "([B)I", atEntry(mv -> {
                    mv.visitVarInsn(ALOAD, 0);
                    mv.visitVarInsn(ALOAD, 1);
                    Hook.callBridge(mv, "fileReadArray", "(Ljava/io/FileInputStream;[B)J");
                    Hook.returnReadIfHandled(mv);
                })),
                new Patch.Method("public int read(byte[] b, int off, int len)", "read", "([BII)I", atEntry(mv -> {
                    mv.visitVarInsn(ALOAD, 0);
                    mv.visitVarInsn(ALOAD, 1);
                    mv.visitVarInsn(ILOAD, 2);
                    mv.visitVarInsn(ILOAD, 3);
                    mv.visitInsn(ICONST_0);
                    Hook.callBridge(mv, "fileRead", fileRead);
                    Hook.returnReadIfHandled(mv);
                }))));
    }

    private static Patch fileOutputStream() {
        String fileWrite = "(Ljava/io/FileOutputStream;[BIIIZ)Z";
        return new Patch("java.io.FileOutputStream",
            "pipe writes of greenlets wait on the Hub while the pipe is full, and regular-file writes run on the threadpool "
                + "(the fileobject setting); standard output and error are written directly",
            List.of(
                new Patch.Method("public void write(int b)", "write", "(I)V", atEntry(mv -> {
                    mv.visitVarInsn(ALOAD, 0);
                    mv.visitInsn(ACONST_NULL);
                    mv.visitInsn(ICONST_0);
                    mv.visitInsn(ICONST_1);
                    mv.visitVarInsn(ILOAD, 1);
                    mv.visitInsn(ICONST_1);
                    Hook.callBridge(mv, "fileWrite", fileWrite);
                    Hook.returnIfTrue(mv);
                })),
                new Patch.Method("public void write(byte[] b)", "write", "([B)V", atEntry(mv -> {
                    mv.visitVarInsn(ALOAD, 0);
                    mv.visitVarInsn(ALOAD, 1);
                    Hook.callBridge(mv, "fileWriteArray", "(Ljava/io/FileOutputStream;[B)Z");
                    Hook.returnIfTrue(mv);
                })),
                new Patch.Method("public void write(byte[] b, int off, int len)", "write", "([BII)V", atEntry(mv -> {
                    mv.visitVarInsn(ALOAD, 0);
                    mv.visitVarInsn(ALOAD, 1);
                    mv.visitVarInsn(ILOAD, 2);
                    mv.visitVarInsn(ILOAD, 3);
                    mv.visitInsn(ICONST_0);
                    mv.visitInsn(ICONST_0);
                    Hook.callBridge(mv, "fileWrite", fileWrite);
                    Hook.returnIfTrue(mv);
                }))));
    }

    private static Patch fileChannel() {
        String self = "Ljava/nio/channels/FileChannel;";
        String buffer = "Ljava/nio/ByteBuffer;";
        return new Patch("sun.nio.ch.FileChannelImpl",
            "FileChannel reads and writes of greenlets run on the threadpool (fileobject=thread)",
            List.of(
                channelMethod("public int read(ByteBuffer dst)", "read", "(" + buffer + ")I", "channelRead", "(" + self + buffer + ")J", false),
                channelMethod("public int write(ByteBuffer src)", "write", "(" + buffer + ")I", "channelWrite", "(" + self + buffer + ")J", false),
                channelMethod("public int read(ByteBuffer dst, long position)", "read", "(" + buffer + "J)I", "channelReadAt", "(" + self + buffer + "J)J", true),
                channelMethod("public int write(ByteBuffer src, long position)", "write", "(" + buffer + "J)I", "channelWriteAt", "(" + self + buffer + "J)J", true)));
    }

    private static Patch.Method channelMethod(String signature, String name, String descriptor, String bridge,
                                              String bridgeDescriptor, boolean positional) {
        return new Patch.Method(signature, name, descriptor, atEntry(mv -> {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitVarInsn(ALOAD, 1);
            if (positional) {
                mv.visitVarInsn(LLOAD, 2);
            }
            Hook.callBridge(mv, bridge, bridgeDescriptor);
            Hook.returnReadIfHandled(mv);
        }));
    }

    /**
     * The JDK waits for every child process on a "process reaper" thread of its own, blocked in
     * {@code waitpid} until the child exits. {@code completion} hands that thread's task, the
     * JDK's own reaper (which reaps the child, encodes its status and completes the future behind
     * {@code waitFor}, {@code exitValue} and {@code onExit}), to {@code processReaperExecutor};
     * the Bridge may instead run the same task on a greenlet once the Hub's loop has seen the
     * child exit, so it reaps at once. Only the executor call changes: the JDK's map of pending
     * completions, its reaping rules and its exit codes stay its own.
     */
    private static Patch processHandleImpl() {
        return new Patch("java.lang.ProcessHandleImpl",
            "a child process that a greenlet starts has its exit watched by the Hub's loop (a pidfd) instead of by a \"process reaper\" "
                + "thread of its own; the JDK's own reaper task then runs on a greenlet, once the child has exited (disable_watch_children)",
            List.of(new Patch.Method(
                "static CompletableFuture<Integer> completion(long pid, boolean shouldReap) (its one processReaperExecutor.execute(reaper) call)",
                "completion", "(JZ)Ljava/util/concurrent/CompletableFuture;",
                replacingCall(INVOKEINTERFACE, "java/util/concurrent/Executor", "execute", "(Ljava/lang/Runnable;)V", mv -> {
                    // The stack holds the executor and the reaper task; add the method's pid and shouldReap.
                    mv.visitVarInsn(LLOAD, 0);
                    mv.visitVarInsn(ILOAD, 2);
                    Hook.callBridge(mv, "startReaper", "(Ljava/util/concurrent/Executor;Ljava/lang/Runnable;JZ)V");
                }))));
    }

    /** Markdown for {@code docs/patched-methods.md}. */
    public static String renderMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Patched JDK methods\n\n")
            .append("Generated from `gevent4j.patches.JdkPatches` by `bin/gen-docs`; `PatchedMethodsDocTest` keeps it in sync.\n\n")
            .append("Each method below gets a call to `gevent4j.bootstrap.Bridge` inserted at its entry (or before its\n")
            .append("returns, or in place of one call it makes), by retransformation with ASM: no field, method or local\n")
            .append("is added. When the caller is not a greenlet of the Hub, the Bridge answers \"not handled\" and the\n")
            .append("JDK's own code runs unchanged. Methods are matched by exact name and descriptor (and a replaced call\n")
            .append("by exact owner, name and descriptor), checked against JDK 25: on a JDK where one differs, the agent\n")
            .append("installs nothing and the application runs unpatched, with one ERROR line.\n\n")
            .append("Application classes are rewritten too: after every `new Thread(...)` of exactly `java.lang.Thread`,\n")
            .append("`Bridge.newThread` replaces the unstarted platform thread with a greenlet\n")
            .append("(`gevent4j.patches.NewThreadRewriter`). Subclasses of `Thread` stay platform threads.\n\n");
        for (Patch patch : all()) {
            out.append("## `").append(patch.typeName()).append("`\n\n").append(patch.why()).append(".\n\n");
            for (Patch.Method m : patch.methods()) {
                out.append("- `").append(m.signature()).append("`\n");
            }
            out.append('\n');
        }
        return out.toString();
    }

    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Files.writeString(java.nio.file.Path.of(args[0]), renderMarkdown());
    }
}
