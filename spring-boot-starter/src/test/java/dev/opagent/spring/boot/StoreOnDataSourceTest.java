package dev.opagent.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.store.OperatingStore;
import dev.opagent.testkit.AgentSimulator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The store on the application's own DataSource, only when asked for. */
class StoreOnDataSourceTest {

  @Configuration(proxyBeanMethods = false)
  static class HostDataSource {
    final JdbcDataSource dataSource = new JdbcDataSource();

    HostDataSource() {
      dataSource.setURL("jdbc:h2:mem:host-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      dataSource.setUser("sa");
    }

    @Bean
    DataSource dataSource() {
      return dataSource;
    }
  }

  @Test
  void useDataSource_storeMigratesIntoTheHostDatabase_andLeavesItOpen() throws Exception {
    try (AgentSimulator agent = AgentSimulator.start()) {
      HostDataSource[] host = new HostDataSource[1];
      Contexts.on(agent)
          .withUserConfiguration(HostDataSource.class)
          .withPropertyValues(
              "opagent.store.use-data-source=true", "opagent.store.table-prefix=shop_")
          .run(
              context -> {
                assertThat(context).hasNotFailed().hasSingleBean(OperatingStore.class);
                OperatingStore store = context.getBean(OperatingStore.class);
                assertThat(store.dataSource()).isSameAs(context.getBean(DataSource.class));
                assertThat(store.tablePrefix()).isEqualTo("shop_");
                host[0] = context.getBean(HostDataSource.class);
              });
      List<String> names = new ArrayList<>();
      try (Connection c = host[0].dataSource.getConnection();
          ResultSet tables = c.getMetaData().getTables(null, null, "%", null)) {
        while (tables.next()) {
          names.add(tables.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
        }
      }
      assertThat(names)
          .as("the host's database is still open and migrated")
          .contains("shop_schema_history");
    }
  }

  @Test
  void dataSourceWithoutTheProperty_noStore() {
    try (AgentSimulator agent = AgentSimulator.start()) {
      Contexts.on(agent)
          .withUserConfiguration(HostDataSource.class)
          .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OperatingStore.class));
    }
  }
}
