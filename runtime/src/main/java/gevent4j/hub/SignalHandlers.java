package gevent4j.hub;

import gevent4j.internal.JdkInternals;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Map;

/**
 * Runs the application's signal handlers ({@code sun.misc.Signal.handle}) as greenlets on the Hub.
 *
 * <p>The JDK hands every Java-handled signal to {@code jdk.internal.misc.Signal.dispatch(int)} on
 * its "Signal Dispatcher" thread, which starts a new platform thread per signal. For a handler the
 * application registered, gevent4j starts a greenlet instead, with the same name
 * ({@code SIGUSR2 handler}) and the same (daemon) flag, so the handler runs on the Hub with the
 * rest of the application, promptly on every loop: the start wakes the loop through its async
 * watcher. (gevent on libuv can only check for signals every 0.3 s; here no loop polls for them.)
 *
 * <p>The JDK's own handlers (SIGTERM/SIGINT/SIGHUP start the shutdown sequence) keep their platform
 * thread: shutdown must never depend on the Hub. Application handlers are recognised by the
 * wrapper that {@code sun.misc.Signal.handle} registers, {@code sun.misc.Signal$InternalMiscHandler};
 * JDK code registers its handlers directly.
 */
final class SignalHandlers {

    private static final String APPLICATION_HANDLER = "sun.misc.Signal$InternalMiscHandler";

    private final Hub hub;
    private final Map<?, ?> signals;
    private final Map<?, ?> handlers;
    private final MethodHandle handle;

    SignalHandlers(Hub hub) throws ReflectiveOperationException {
        this.hub = hub;
        Class<?> signal = Class.forName("jdk.internal.misc.Signal");
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(signal, MethodHandles.lookup());
        VarHandle signalsField = lookup.findStaticVarHandle(signal, "signals", java.util.Hashtable.class);
        VarHandle handlersField = lookup.findStaticVarHandle(signal, "handlers", java.util.Hashtable.class);
        this.signals = (Map<?, ?>) signalsField.get();
        this.handlers = (Map<?, ?>) handlersField.get();
        Class<?> handlerType = Class.forName("jdk.internal.misc.Signal$Handler");
        this.handle = lookup.findVirtual(handlerType, "handle", MethodType.methodType(void.class, signal))
            .asType(MethodType.methodType(void.class, Object.class, Object.class));
    }

    /**
     * Called on the JDK's signal dispatcher thread. Returns true when the handler was started as a
     * greenlet, false to let the JDK start its platform thread.
     */
    boolean dispatch(int number) {
        Object signal = signals.get(number);
        Object handler = signal == null ? null : handlers.get(signal);
        if (handler == null || !handler.getClass().getName().equals(APPLICATION_HANDLER)) {
            return false;
        }
        JdkInternals.newVirtualThread(hub, signal + " handler", () -> {
            try {
                handle.invokeExact(handler, signal);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }).start();
        return true;
    }
}
