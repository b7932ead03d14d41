package org.anynas.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeartbeatTest {

    @Test
    void theHeartbeatKeepsACampaignAliveAndItGoesStaleWhenItStops(@TempDir Path dir) throws Exception {
        try (ResultsStore store = ResultsStore.open(dir.resolve("db"))) {
            CampaignRow c = store.createCampaign("c", "evolution", "synthetic", "chain", "{}", 1, "name: c");
            age(store, c.id(), Duration.ofMinutes(5));
            assertThat(store.displayStatus(c)).isEqualTo("died");
            try (Heartbeat beat = Heartbeat.start(store, c.id(), Duration.ofMillis(50))) {
                Thread.sleep(400);
                assertThat(store.liveEngine(c.id())).get().extracting(Engine::pid).isEqualTo(ProcessHandle.current().pid());
                assertThat(store.displayStatus(c)).isEqualTo("running");
            }
            age(store, c.id(), Duration.ofMinutes(5));
            Thread.sleep(200); // a closed heartbeat does not beat again
            assertThat(store.displayStatus(c)).isEqualTo("died");
            store.setCampaignStatus(c.id(), "finished");
            assertThat(store.displayStatus(store.campaign("c").orElseThrow())).isEqualTo("finished");
        }
    }

    @Test
    void claimTakesADeadCampaignAndRefusesALiveOne(@TempDir Path dir) throws Exception {
        try (ResultsStore store = ResultsStore.open(dir.resolve("db"))) {
            CampaignRow c = store.createCampaign("c", "evolution", "synthetic", "chain", "{}", 1, "name: c");
            store.claim(c.id()); // this process already drives it
            Process other = new ProcessBuilder("sleep", "60").start();
            try (PreparedStatement ps = store.connection().prepareStatement("UPDATE campaign SET engine_pid = ? WHERE id = ?")) {
                ps.setLong(1, other.pid());
                ps.setLong(2, c.id());
                ps.executeUpdate();
                assertThatThrownBy(() -> store.claim(c.id())).isInstanceOf(CampaignBusyException.class)
                        .hasMessageContaining("pid " + other.pid() + " on host " + Engine.thisHost());
            } finally {
                other.destroyForcibly();
                other.waitFor();
            }
            store.claim(c.id()); // its engine is gone now
            assertThat(store.liveEngine(c.id())).get().extracting(Engine::pid).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void aCampaignFromBeforeLivenessHasNoEngineAndCanBeTaken(@TempDir Path dir) throws Exception {
        try (ResultsStore store = ResultsStore.open(dir.resolve("db"))) {
            CampaignRow c = store.createCampaign("old", "evolution", "synthetic", "chain", "{}", 1, "name: old");
            try (var st = store.connection().createStatement()) { // as V4 leaves a row written before it
                st.execute("UPDATE campaign SET engine_host = NULL, engine_pid = NULL, heartbeat = NULL");
            }
            assertThat(store.displayStatus(c)).isEqualTo("died");
            store.claim(c.id());
            assertThat(store.displayStatus(c)).isEqualTo("running");
        }
    }

    private static void age(ResultsStore store, long id, Duration by) throws Exception {
        try (PreparedStatement ps = store.connection().prepareStatement("UPDATE campaign SET heartbeat = ? WHERE id = ?")) {
            ps.setObject(1, OffsetDateTime.now().minus(by));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }
}
