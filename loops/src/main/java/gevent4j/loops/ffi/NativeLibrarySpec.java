package gevent4j.loops.ffi;

/**
 * A shared library a loop binds to, named the way an operator can act on it.
 *
 * @param displayName what users call it, e.g. {@code libev}
 * @param soname the versioned file name to load ({@code libev.so.4}): the unversioned name exists
 *     only with the {@code -dev} package
 * @param debianPackage the Debian/Ubuntu package that installs {@code soname}
 */
public record NativeLibrarySpec(String displayName, String soname, String debianPackage) {

    /** The advice printed when the library cannot be loaded. */
    public String installHint() {
        return "install it with 'apt-get install " + debianPackage + "' (Debian/Ubuntu) or your system's "
            + displayName + " package";
    }
}
