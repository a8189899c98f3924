package gevent4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImportableListKindTest {
    private final Kind<List<String>> loop = Settings.LOOP.kind();

    @Test
    void shorthandsInOrder() throws InvalidValueException {
        assertEquals(List.of("libev", "libuv", "jdk"), loop.parse("libev,libuv,jdk"));
    }

    @Test
    void plusSeparatesItemsEverywhereAndMixesWithComma() throws InvalidValueException {
        assertEquals(List.of("libev", "libuv", "jdk"), loop.parse("libev+libuv,jdk"));
    }

    @Test
    void whitespaceAndCaseAroundShorthandsIgnored() throws InvalidValueException {
        assertEquals(List.of("libuv", "jdk"), loop.parse(" LibUV , jdk "));
    }

    @Test
    void geventNamesNormalizeToShorthands() throws InvalidValueException {
        assertEquals(List.of("libev", "libuv"), loop.parse("libev-cext,libuv-cffi"));
        assertEquals(List.of("libev"), loop.parse("libev-cffi"));
        assertEquals(List.of("dnsjava", "thread"), Settings.RESOLVER.kind().parse("dnspython,thread"));
    }

    @Test
    void classNamesKeptVerbatim() throws InvalidValueException {
        assertEquals(List.of("com.example.MyLoop", "jdk"), loop.parse("com.example.MyLoop+jdk"));
        assertEquals(List.of("a.b$Inner"), loop.parse("a.b$Inner"));
        assertEquals(List.of("org.ünïcode.Loop"), loop.parse("org.ünïcode.Loop"));
    }

    @Test
    void unknownShorthandNamed() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> loop.parse("jdk,foo"));
        assertEquals("unknown loop 'foo'", e.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"com..Foo", "com.Foo.", ".Foo", "com.1Foo", "com.class.Foo", "com.my loop.Foo",
            "com.Foo-Bar", "com.Foo\u0000x"})
    void malformedClassNames(String name) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> loop.parse(name));
        assertTrue(e.reason().contains("neither a known loop nor a valid class name"), e.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "jdk,", ",jdk", "jdk,,libev", "jdk+ +libev"})
    void emptyItemsRejected(String text) {
        assertThrows(InvalidValueException.class, () -> loop.parse(text));
    }

    @Test
    void duplicatesRejectedIncludingThroughAliases() {
        InvalidValueException plain = assertThrows(InvalidValueException.class, () -> loop.parse("jdk,jdk"));
        assertEquals("loop 'jdk' is listed twice", plain.reason());
        InvalidValueException aliased = assertThrows(InvalidValueException.class,
                () -> loop.parse("libev,libev-cffi"));
        assertEquals("loop 'libev' is listed twice (as 'libev' and 'libev-cffi')", aliased.reason());
    }

    @Test
    void acceptedListsShorthandsAliasesAndContract() {
        assertEquals("jdk, libev, libuv, libev-ffm, libuv-ffm (aliases libev-cext, libev-cffi, libuv-cffi) or a class name implementing "
                + "gevent4j.loop.LoopProvider", loop.accepted());
    }

    @Test
    void fileobjectAndThreadpoolShorthands() throws InvalidValueException {
        assertEquals(List.of("block"), Settings.FILEOBJECT.kind().parse("block"));
        assertEquals(List.of("default"), Settings.THREADPOOL.kind().parse("default"));
        assertEquals(List.of("java.util.concurrent.ForkJoinPool"),
                Settings.THREADPOOL.kind().parse("java.util.concurrent.ForkJoinPool"));
        assertThrows(InvalidValueException.class, () -> Settings.THREADPOOL.kind().parse("cached"));
        assertThrows(InvalidValueException.class, () -> Settings.FORMAT_CONTEXT.kind().parse("repr"));
    }

    @Test
    void classNameSyntax() {
        assertTrue(ImportableListKind.isClassName("a.B"));
        assertFalse(ImportableListKind.isClassName("B"));
        assertFalse(ImportableListKind.isClassName("a._"));
        assertFalse(ImportableListKind.isClassName("null.B"));
    }
}
