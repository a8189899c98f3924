package gevent4j.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NativeAllocationsTest {

    @AfterEach
    void stopTracing() {
        NativeAllocations.setTraceFrames(0);
    }

    @Test
    void countsBlocksPerKindUntilFreed() {
        NativeAllocations.allocated("test block", 0x1000, 48);
        NativeAllocations.allocated("test block", 0x2000, 48);
        assertEquals(2, NativeAllocations.liveCount("test block"));
        assertTrue(NativeAllocations.describe().get(0).contains("test block 2 (96 B)"), NativeAllocations.describe().get(0));
        NativeAllocations.freed(0x1000);
        NativeAllocations.freed(0x2000);
        NativeAllocations.freed(0x3000); // unknown: ignored
        assertEquals(0, NativeAllocations.liveCount("test block"));
    }

    @Test
    void tracingRecordsTheAllocationSite() {
        NativeAllocations.setTraceFrames(3);
        NativeAllocations.allocated("traced block", 0x4000, 16);
        List<String> lines = NativeAllocations.describe();
        NativeAllocations.freed(0x4000);
        assertTrue(lines.stream().anyMatch(l -> l.contains("1 blocks, 16 bytes: traced block allocated at "
            + NativeAllocationsTest.class.getName() + ".tracingRecordsTheAllocationSite")), lines.toString());
    }
}
