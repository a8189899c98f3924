package gevent4j.patches;

import java.util.List;

/**
 * One JDK class and the hooks inserted into its methods. Like gevent's {@code __implements__},
 * each patch declares the JDK methods it replaces; {@code docs/patched-methods.md} is generated
 * from these declarations.
 *
 * @param typeName the JDK class, binary name
 * @param why what blocking or behaviour the patch removes
 * @param methods the patched methods, matched by exact name and descriptor: a JDK whose method
 *     differs fails the whole installation instead of being patched wrongly
 */
record Patch(String typeName, String why, List<Method> methods) {

    String internalName() {
        return typeName.replace('.', '/');
    }

    Method find(String name, String descriptor) {
        for (Method m : methods) {
            if (m.name().equals(name) && m.descriptor().equals(descriptor)) {
                return m;
            }
        }
        return null;
    }

    /**
     * @param signature the JDK method as its source declares it, for the documentation
     * @param name the method's name
     * @param descriptor its JVM descriptor
     * @param hook the inserted code
     */
    record Method(String signature, String name, String descriptor, Hook hook) {
    }
}
