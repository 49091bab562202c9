package dev.opagent.store;

/** Segment analyses in a real PostgreSQL, each test on tables of its own. */
class PostgresSegmentStoreTest extends SegmentStoreContract {
  @Override
  OperatingStore open() {
    return OperatingStore.builder()
        .url(PostgresServer.url(), "postgres", "")
        .tablePrefix(PostgresServer.freshPrefix())
        .maxPoolSize(4)
        .build();
  }
}
