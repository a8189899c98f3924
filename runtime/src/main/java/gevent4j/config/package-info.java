/**
 * The gevent4j settings registry, modelled on gevent's {@code gevent/_config.py}.
 *
 * <p>Every setting is declared once, in {@link gevent4j.config.Settings}, with its name from gevent's
 * configuration page, its environment variable, its system property {@code gevent.<name>}, a
 * {@link gevent4j.config.Kind} that parses and validates its text, a default, a description and a
 * status. {@link gevent4j.config.Config#resolve} reads agent arguments, system properties and the
 * environment once and freezes the result; {@link gevent4j.config.ConfigurationDoc} renders
 * {@code docs/configuration.md} from the same declarations, so the docs cannot drift from the code.
 */
package gevent4j.config;
