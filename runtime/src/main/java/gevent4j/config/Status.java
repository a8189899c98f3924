package gevent4j.config;

/**
 * Whether a setting already changes gevent4j's behaviour.
 *
 * <p>gevent4j declares gevent's whole settings surface up front so that applications and launch scripts
 * that set them keep working; some settings are only validated until the feature they control lands.
 * {@link Setting#statusNote()} names what will make a {@link #NOT_YET_EFFECTIVE} setting effective.
 */
public enum Status {
    EFFECTIVE,
    NOT_YET_EFFECTIVE
}
