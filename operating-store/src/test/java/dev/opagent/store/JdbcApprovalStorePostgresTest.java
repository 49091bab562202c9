package dev.opagent.store;

/** The approval store on a real PostgreSQL server that two pools share. */
class JdbcApprovalStorePostgresTest extends ApprovalStoreContract {
  private final String prefix = PostgresServer.freshPrefix();

  @Override
  OperatingStore openStore() {
    return OperatingStore.builder()
        .url(PostgresServer.url(), "postgres", "")
        .tablePrefix(prefix)
        .maxPoolSize(8)
        .build();
  }
}
