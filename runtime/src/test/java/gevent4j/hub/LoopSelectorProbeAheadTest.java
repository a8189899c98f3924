package gevent4j.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.LoopProvider;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Probing ahead does only what {@code select} would do first, and never a user's loop. */
class LoopSelectorProbeAheadTest {

    /** A user's loop: counts its creations. */
    public static final class CountingProvider implements LoopProvider {
        static final AtomicInteger CREATED = new AtomicInteger();

        public CountingProvider() {
            CREATED.incrementAndGet();
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public Throwable unavailabilityCause() {
            return null;
        }

        @Override
        public String describe() {
            return "counting";
        }

        @Override
        public Loop create(LoopOptions options) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aThreadIsWorthItOnlyWhenANativeBuiltInLoopComesFirst() {
        assertTrue(LoopSelector.probesNativeFirst(List.of("libev", "libuv", "jdk")));
        assertTrue(LoopSelector.probesNativeFirst(List.of("libuv-ffm")));
        assertFalse(LoopSelector.probesNativeFirst(List.of("jdk", "libev")));
        assertFalse(LoopSelector.probesNativeFirst(List.of(CountingProvider.class.getName(), "libev")));
        assertFalse(LoopSelector.probesNativeFirst(List.of()));
    }

    @Test
    void neverCreatesAUsersLoopAndNeverThrows() {
        // The built-in loops are not on this module's class path: each fails to load, as a missing
        // library would make it unavailable, and probing goes on along the list as select does.
        int before = CountingProvider.CREATED.get();
        LoopSelector.probeAhead(List.of("libev", "libuv", CountingProvider.class.getName(), "jdk"));
        assertEquals(before, CountingProvider.CREATED.get());

        LoopSelector.Selection selection = LoopSelector.select(List.of("libev", CountingProvider.class.getName()));
        assertEquals("counting", selection.chosen().name());
        assertEquals(1, selection.skipped().size());
    }
}
