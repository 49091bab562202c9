package dev.opagent.store;

/** Segment analyses in a real PostgreSQL, each test on tables of its own. */
class PostgresSegmentStoreTest extends SegmentStoreContract {
  @Override
  OperatingStore open() {
    return OperatingStore.builder().dataSource(EmbeddedPostgresServer.pool())
        .tablePrefix(EmbeddedPostgresServer.freshPrefix()).build();
  }
}
