package dev.opagent.rules.json;

import org.jspecify.annotations.Nullable;

/**
 * A JSON pointer held as its parent plus its last token, so that a tree of values shares the common
 * prefixes of their pointers: memory grows with the number of values, not with their depth times
 * their count. The text is built only when asked for (in a message). Immutable and thread-safe.
 */
public final class Pointer {
  private final @Nullable Pointer parent;
  private final @Nullable String token;
  private final int index;

  private Pointer(@Nullable Pointer parent, @Nullable String token, int index) {
    this.parent = parent;
    this.token = token;
    this.index = index;
  }

  /** A pointer given as text (already escaped), the root of further children. */
  public static Pointer of(String text) {
    return new Pointer(null, text, -1);
  }

  /** This pointer plus an object key (escaped when rendered). */
  public Pointer child(String key) {
    return new Pointer(this, key, -1);
  }

  /** This pointer plus an array index. */
  public Pointer child(int i) {
    return new Pointer(this, null, i);
  }

  /** The pointer's text, e.g. {@code /rules/0/conditions/a~1b}. */
  @Override
  public String toString() {
    int n = 0;
    for (Pointer p = this; p != null; p = p.parent) {
      n++;
    }
    Pointer[] chain = new Pointer[n];
    for (Pointer p = this; p != null; p = p.parent) {
      chain[--n] = p;
    }
    StringBuilder sb = new StringBuilder();
    for (Pointer p : chain) {
      if (p.parent == null) {
        sb.append(p.token);
      } else if (p.token == null) {
        sb.append('/').append(p.index);
      } else {
        sb.append('/').append(escape(p.token));
      }
    }
    return sb.toString();
  }

  static String escape(String token) {
    if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
      return token;
    }
    return token.replace("~", "~0").replace("/", "~1");
  }
}
