package dev.opagent.examples.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps test output to test results: library notes below warnings are not printed. */
final class Quiet {
  private Quiet() {}

  /** jqwik's logger at WARNING; hold the result in a static field so the level stays set. */
  static Logger jqwik() {
    Logger logger = Logger.getLogger("net.jqwik");
    logger.setLevel(Level.WARNING);
    return logger;
  }
}
