package dev.opagent.rules.problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * A list of problems that keeps the first {@link #MAX_KEPT} and only counts the rest, so that a
 * small hostile file cannot make the reader hold millions of messages. Messages are cut to {@link
 * #MAX_MESSAGE_LENGTH} characters. Not thread-safe.
 */
public final class ProblemList extends ArrayList<Problem> {
  private static final long serialVersionUID = 1L;

  /** Problems kept per rule file or condition; later ones are counted in a closing summary. */
  public static final int MAX_KEPT = 100;

  /** Longest message kept; longer ones end with an ellipsis. */
  public static final int MAX_MESSAGE_LENGTH = 2000;

  private int droppedErrors;
  private int droppedWarnings;

  /** Whether further problems are only counted. */
  public boolean isFull() {
    return size() >= MAX_KEPT;
  }

  @Override
  public boolean add(Problem p) {
    if (isFull()) {
      count(p.severity());
      return false;
    }
    String m = p.message();
    if (m.length() > MAX_MESSAGE_LENGTH) {
      p =
          new Problem(
              p.severity(),
              p.pointer(),
              p.line(),
              p.column(),
              m.substring(0, MAX_MESSAGE_LENGTH) + "…");
    }
    return super.add(p);
  }

  @Override
  public boolean addAll(Collection<? extends Problem> c) {
    boolean changed = false;
    for (Problem p : c) {
      changed |= add(p);
    }
    return changed;
  }

  private void count(Problem.Severity severity) {
    if (severity == Problem.Severity.ERROR) {
      droppedErrors++;
    } else {
      droppedWarnings++;
    }
  }

  /**
   * Adds the problem {@code make} builds, or only counts it when the list is full (so that its
   * pointer and message are never built).
   */
  public static void report(List<Problem> list, Problem.Severity severity, Supplier<Problem> make) {
    if (list instanceof ProblemList pl && pl.isFull()) {
      pl.count(severity);
    } else {
      list.add(make.get());
    }
  }

  /** Errors kept and dropped. */
  public int errorCount() {
    int n = droppedErrors;
    for (Problem p : this) {
      if (p.severity() == Problem.Severity.ERROR) {
        n++;
      }
    }
    return n;
  }

  /**
   * The kept problems, followed, when some were dropped, by one that says how many (an error when
   * any dropped problem was one).
   */
  public List<Problem> withSummary() {
    List<Problem> out = new ArrayList<>(this);
    int dropped = droppedErrors + droppedWarnings;
    if (dropped > 0) {
      out.add(
          new Problem(
              droppedErrors > 0 ? Problem.Severity.ERROR : Problem.Severity.WARNING,
              "",
              0,
              0,
              dropped
                  + " more problems ("
                  + droppedErrors
                  + " errors) not listed; only the first "
                  + MAX_KEPT
                  + " are kept"));
    }
    return out;
  }
}
