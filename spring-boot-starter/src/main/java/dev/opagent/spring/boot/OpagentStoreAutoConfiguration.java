package dev.opagent.spring.boot;

import dev.opagent.store.OperatingStore;
import dev.opagent.store.StoreException;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The operating store: opened at {@code opagent.store.url} with its own connection pool, or — with
 * {@code opagent.store.use-data-source=true} and no URL — on the application's {@link DataSource}
 * bean, which it never closes. Closed with the application context.
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    before = OpagentAutoConfiguration.class)
@ConditionalOnProperty(prefix = "opagent", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(OpagentProperties.class)
public class OpagentStoreAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "opagent.store", name = "url")
  OperatingStore opagentOperatingStore(OpagentProperties properties) {
    OpagentProperties.Store s = properties.getStore();
    String url = OpagentAutoConfiguration.text(s.getUrl());
    if (url == null) {
      throw new IllegalStateException(
          "opagent.store.url is blank: set a JDBC URL such as jdbc:h2:file:./.opagent/store or"
              + " jdbc:postgresql://HOST/DB, or remove the property");
    }
    OperatingStore.Builder b;
    try {
      b = options(OperatingStore.builder().url(url, s.getUsername(), s.getPassword()), s);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("opagent.store is invalid: " + e.getMessage(), e);
    }
    return open(b, "opagent.store.url " + OperatingStore.mask(url));
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "opagent.store", name = "use-data-source", havingValue = "true")
  @ConditionalOnBean(DataSource.class)
  OperatingStore opagentOperatingStoreOnDataSource(
      OpagentProperties properties, DataSource dataSource) {
    OperatingStore.Builder b;
    try {
      b = options(OperatingStore.builder().dataSource(dataSource), properties.getStore());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("opagent.store is invalid: " + e.getMessage(), e);
    }
    return open(b, "the application's DataSource (opagent.store.use-data-source)");
  }

  private static OperatingStore.Builder options(
      OperatingStore.Builder b, OpagentProperties.Store s) {
    String prefix = OpagentAutoConfiguration.text(s.getTablePrefix());
    if (prefix != null) {
      b.tablePrefix(prefix);
    }
    Boolean migrate = s.getMigrate();
    if (migrate != null) {
      b.migrate(migrate);
    }
    Integer pool = s.getMaxPoolSize();
    if (pool != null) {
      b.maxPoolSize(pool);
    }
    OperatingStore.Durability durability = s.getDurability();
    if (durability != null) {
      b.durability(durability);
    }
    return b;
  }

  private static OperatingStore open(OperatingStore.Builder b, String where) {
    try {
      return b.build();
    } catch (StoreException | IllegalArgumentException e) {
      // the store's messages mask credentials; the password property is never repeated
      throw new IllegalStateException(
          "cannot open the operating store at " + where + ": " + e.getMessage(), e);
    }
  }
}
