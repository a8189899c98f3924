package gevent4j.it.apps;

import jnr.ffi.LibraryLoader;

/**
 * An application that brings its own JNR-FFI and jffi (unshaded, on its class path) and calls
 * libc through them, from main and from a thread: it must work the same beside the agent's own
 * (relocated) JNR and jffi, which drive the libev and libuv loops in the same JVM.
 */
public final class OwnJnrApp {
  /** The libc functions the app binds. */
  public interface LibC {
    int getpid();

    long strlen(String s);
  }

  private OwnJnrApp() {}

  public static void main(String[] args) throws InterruptedException {
    LibC libc = LibraryLoader.create(LibC.class).load("c");
    System.out.println("jnr jar=" + jarName(LibraryLoader.class));
    System.out.println("getpid matches=" + (libc.getpid() == ProcessHandle.current().pid()));
    Thread t = new Thread(() -> System.out.println("strlen=" + libc.strlen("gevent4j")));
    t.start();
    t.join();
    System.out.println("OWN_JNR_APP OK");
  }

  private static String jarName(Class<?> type) {
    String path = type.getProtectionDomain().getCodeSource().getLocation().getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
