package gevent4j.it.apps;

import gevent4j.events.HubStarted;
import gevent4j.events.LoopChosen;
import gevent4j.events.MonitorThreadStarted;
import gevent4j.events.RuntimeEvent;
import gevent4j.events.Subscriber;

/**
 * Registered through {@code META-INF/services/gevent4j.events.Subscriber}, so the agent loads it
 * at start-up: it sees the start-up events, which it prints as {@code SL-EVENT ...} when the
 * system property {@code gevent4j.it.events} is {@code true} (every other test stays quiet).
 */
public final class StartupEventsSubscriber implements Subscriber {

  private final boolean print = Boolean.getBoolean("gevent4j.it.events");

  @Override
  public void onEvent(RuntimeEvent event) {
    if (!print) {
      return;
    }
    switch (event) {
      case LoopChosen c -> System.out.println("SL-EVENT LoopChosen loop=" + c.loop());
      case HubStarted h -> System.out.println("SL-EVENT HubStarted hub=" + h.hub().getName() + " loop=" + h.loop());
      case MonitorThreadStarted m -> System.out.println("SL-EVENT MonitorThreadStarted monitor=" + m.monitor().getName());
      default -> { }
    }
  }
}
