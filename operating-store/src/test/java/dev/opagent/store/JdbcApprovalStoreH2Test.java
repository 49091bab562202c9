package dev.opagent.store;

import java.util.concurrent.atomic.AtomicInteger;

/** The approval store on an in-memory H2 database that two pools share. */
class JdbcApprovalStoreH2Test extends ApprovalStoreContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final String url =
      "jdbc:h2:mem:approvals-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";

  @Override
  OperatingStore openStore() {
    return OperatingStore.open(url, "sa", "");
  }
}
