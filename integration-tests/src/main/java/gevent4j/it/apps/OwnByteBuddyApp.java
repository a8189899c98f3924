package gevent4j.it.apps;

import static net.bytebuddy.matcher.ElementMatchers.named;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.implementation.MethodDelegation;
import net.bytebuddy.implementation.bind.annotation.Argument;
import net.bytebuddy.implementation.bind.annotation.RuntimeType;
import net.bytebuddy.implementation.bind.annotation.SuperCall;

/**
 * An application with its own, unshaded Byte Buddy (1.17.8 from its class path): the agent's
 * copy must neither replace nor clash with it.
 *
 * <p>Prints {@code bytebuddy jar=<file name>}, {@code toString=<s>} of a generated subclass of
 * {@code Object}, {@code greet=<s>} from an intercepted method, and {@code OWN_BYTEBUDDY_APP OK}.
 */
public final class OwnByteBuddyApp {
  private OwnByteBuddyApp() {}

  /** Subclassed and intercepted at run time. */
  public static class Greeter {
    public String greet(String name) {
      return "hello " + name;
    }
  }

  /** The interceptor {@link Greeter#greet} is delegated to. */
  public static class GreetInterceptor {
    @RuntimeType
    public static Object intercept(@Argument(0) String name, @SuperCall Callable<String> original) throws Exception {
      return "intercepted(" + original.call() + ", " + name.length() + ")";
    }
  }

  public static void main(String[] args) throws Exception {
    var source = ByteBuddy.class.getProtectionDomain().getCodeSource();
    String jar = source == null ? "unknown" : Path.of(source.getLocation().toURI()).getFileName().toString();
    Check.println("bytebuddy jar=" + jar);
    Check.that(ByteBuddy.class.getClassLoader() == OwnByteBuddyApp.class.getClassLoader(),
        "net.bytebuddy.ByteBuddy came from " + ByteBuddy.class.getClassLoader() + ", not the application class loader");

    Object generated = new ByteBuddy()
        .subclass(Object.class)
        .name("gevent4j.it.apps.Generated")
        .method(named("toString")).intercept(FixedValue.value("made by ByteBuddy"))
        .make()
        .load(OwnByteBuddyApp.class.getClassLoader())
        .getLoaded()
        .getDeclaredConstructor()
        .newInstance();
    Check.println("toString=" + generated);

    Greeter greeter = new ByteBuddy()
        .subclass(Greeter.class)
        .method(named("greet")).intercept(MethodDelegation.to(GreetInterceptor.class))
        .make()
        .load(OwnByteBuddyApp.class.getClassLoader())
        .getLoaded()
        .getDeclaredConstructor()
        .newInstance();
    String greeting = greeter.greet("world");
    Check.println("greet=" + greeting);

    Check.that(generated.toString().equals("made by ByteBuddy"), "FixedValue interception failed");
    Check.that(greeting.equals("intercepted(hello world, 5)"), "MethodDelegation interception failed");
    Check.println("OWN_BYTEBUDDY_APP OK");
  }
}
