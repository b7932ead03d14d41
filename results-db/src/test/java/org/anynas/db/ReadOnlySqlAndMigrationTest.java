package org.anynas.db;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadOnlySqlAndMigrationTest {

    @Test
    void aDatabaseWrittenAtSchemaVersionOneOpensAndUpgradesKeepingItsData(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("old").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").target("1").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("INSERT INTO campaign(name, created, updated, status, strategy, dataset, space_name, "
                    + "space, seed, config) VALUES ('old', NOW(), NOW(), 'finished', 'random', 'mnist', 'chain', 's', 1, 'c')");
        }
        try (ResultsStore store = ResultsStore.openExisting(dir.resolve("old"))) {
            assertThat(store.campaign("old")).isPresent();
            try (ResultSet rs = store.connection().createStatement()
                    .executeQuery("SELECT MAX(\"version\") FROM \"flyway_schema_history\"")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("9"); // the newest migration (V9: what is training now)
            }
            assertThat(store.readOnlyQuery("SELECT COUNT(*) AS n FROM results").rows()).containsExactly(List.of(0L));
        }
    }

    @Test
    void userSqlCanReadButNeverWrite(@TempDir Path dir) {
        try (ResultsStore store = ResultsStore.open(dir.resolve("db"))) {
            store.createCampaign("c1", "random", "d", "s", "space", 1, "config");
            QueryResult r = store.readOnlyQuery("SELECT name, seed FROM campaign");
            assertThat(r.columns()).containsExactly("name", "seed");
            assertThat(r.rows()).containsExactly(List.of("c1", 1L));
            for (String write : List.of("DELETE FROM campaign", "UPDATE campaign SET seed = 2",
                    "INSERT INTO campaign(name) VALUES ('x')", "DROP TABLE campaign", "CREATE TABLE t(x INT)",
                    "SELECT FILE_WRITE('x', '" + dir.resolve("leak").toString().replace("'", "''") + "')",
                    "CALL CSVWRITE('" + dir.resolve("leak.csv").toString().replace("'", "''") + "', 'SELECT * FROM campaign')")) {
                assertThatThrownBy(() -> store.readOnlyQuery(write)).as(write).isInstanceOf(StoreException.class);
            }
            assertThat(store.campaigns()).hasSize(1).first().extracting(CampaignRow::seed).isEqualTo(1L);
            assertThat(dir.resolve("leak")).doesNotExist();
            assertThat(dir.resolve("leak.csv")).doesNotExist();
            assertThatThrownBy(() -> store.readOnlyQuery("SELEC nonsense")).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("SQL error: ").hasMessageNotContaining("\\n");
        }
    }
}
