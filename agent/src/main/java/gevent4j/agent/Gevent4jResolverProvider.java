package gevent4j.agent;

import gevent4j.bootstrap.Bridge;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;

/**
 * The {@code resolver} setting, installed the way the JDK means resolvers to be installed
 * (JEP 418, {@code ServiceLoader}). It only routes lookups through the bootstrap bridge; when the
 * agent is not running (or this jar is merely on a class path) every lookup is the JDK's own.
 */
public final class Gevent4jResolverProvider extends InetAddressResolverProvider {

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        try {
            Class.forName("gevent4j.bootstrap.Bridge", false, null);
        } catch (ClassNotFoundException | LinkageError agentNotStarted) {
            return builtin;
        }
        return new Routed(builtin);
    }

    @Override
    public String name() {
        return "gevent4j";
    }

    private static final class Routed implements InetAddressResolver {
        private final InetAddressResolver builtin;

        Routed(InetAddressResolver builtin) {
            this.builtin = builtin;
        }

        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            return Bridge.lookupByName(builtin, host, policy);
        }

        @Override
        public String lookupByAddress(byte[] addr) throws UnknownHostException {
            return Bridge.lookupByAddress(builtin, addr);
        }
    }
}
