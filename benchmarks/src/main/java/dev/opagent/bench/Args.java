package dev.opagent.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark programs' common arguments: {@code --quick}, {@code --results FILE}, and any other
 * words (scenario names) in order.
 */
record Args(boolean quick, Path results, List<String> rest) {

  static Args parse(String[] args) {
    boolean quick = false;
    Path results = Path.of("target/bench-results.tsv");
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--results" -> results = Path.of(args[++i]);
        default -> rest.add(args[i]);
      }
    }
    return new Args(quick, results, List.copyOf(rest));
  }

  /** Rejects words a program does not take. */
  Args noRest() {
    if (!rest.isEmpty()) {
      throw new IllegalArgumentException("unknown argument " + rest.get(0));
    }
    return this;
  }
}
