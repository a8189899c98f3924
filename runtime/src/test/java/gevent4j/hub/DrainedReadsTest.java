package gevent4j.hub;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DrainedReadsTest {

    private final DrainedReads drained = new DrainedReads();

    @Test
    void aShortReadMarksTheSocketDrained() {
        drained.afterRead(7, 8192, 100);
        assertTrue(drained.isDrained(7));
        assertFalse(drained.isDrained(6));
        assertFalse(drained.isDrained(8));
    }

    @Test
    void aFullReadEndOfStreamWouldBlockAndErrorsClearIt() {
        for (int result : new int[] {8192, -1, -2, -3}) {
            drained.afterRead(7, 8192, 1);
            drained.afterRead(7, 8192, result);
            assertFalse(drained.isDrained(7), "after " + result);
        }
    }

    @Test
    void clearForgetsTheMark() {
        drained.afterRead(70, 10, 0);
        assertTrue(drained.isDrained(70));
        drained.clear(70);
        assertFalse(drained.isDrained(70));
    }

    @Test
    void highDescriptorNumbersGrowTheSetAndNegativeOnesAreNeverDrained() {
        drained.afterRead(100_000, 10, 1);
        assertTrue(drained.isDrained(100_000));
        assertFalse(drained.isDrained(99_999));
        assertFalse(drained.isDrained(200_000));
        drained.clear(300_000);
        drained.afterRead(-1, 10, 1);
        assertFalse(drained.isDrained(-1));
        assertFalse(drained.isDrained(63));
        drained.afterRead(63, 10, 1);
        assertTrue(drained.isDrained(63));
        assertFalse(drained.isDrained(127));
    }
}
