package gevent4j.patches;

import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One JDK class and the advice applied to its methods. Like gevent's {@code __implements__}, each
 * patch declares the JDK methods it replaces; {@code docs/patched-methods.md} is generated from them.
 *
 * @param typeName the JDK class, binary name
 * @param why what blocking or behaviour the patch removes
 * @param methods the patched methods
 */
record Patch(String typeName, String why, List<Method> methods) {

    /**
     * @param signature the JDK method as documentation writes it
     * @param matcher how Byte Buddy finds it (name and arity: the descriptors differ in no JDK 25 build)
     * @param advice the advice class, by name so that it is never loaded into the agent's loader
     */
    record Method(String signature, ElementMatcher<? super MethodDescription> matcher, String advice) {
    }
}
