package dev.opagent.rules.spi;

/** The single instance behind {@link Attributes#ABSENT}. Immutable and thread-safe. */
final class AbsentMarker {
  static final AbsentMarker INSTANCE = new AbsentMarker();

  private AbsentMarker() {}

  @Override
  public String toString() {
    return "<absent>";
  }
}
