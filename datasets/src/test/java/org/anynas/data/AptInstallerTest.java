package org.anynas.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When a missing dataset is installed with apt-get, decided without running apt (the commands are recorded). */
class AptInstallerTest {

    /** A machine: which programs are on PATH, who we are, whether sudo -n works; records what would run. */
    static final class Machine implements AptInstaller.Commands {
        final List<List<String>> ran = new ArrayList<>();
        final Path bin;
        String uid = "1000";
        boolean sudoWorks;
        Runnable onInstall = () -> { };
        int installExit = 0;

        Machine(Path dir, String... programs) throws IOException {
            bin = Files.createDirectories(dir.resolve("bin"));
            for (String p : programs) {
                Files.writeString(bin.resolve(p), "#!/bin/sh\nexit 99\n"); // present, never run
                Files.setPosixFilePermissions(bin.resolve(p), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }

        Map<String, String> env() {
            return Map.of("PATH", bin.toString());
        }

        @Override
        public AptInstaller.Result run(List<String> command) {
            ran.add(command);
            if (command.equals(List.of("id", "-u"))) return new AptInstaller.Result(0, uid + "\n");
            if (command.equals(List.of("sudo", "-n", "true"))) return new AptInstaller.Result(sudoWorks ? 0 : 1, "a password is required");
            if (command.contains("install")) {
                if (installExit == 0) onInstall.run();
                return new AptInstaller.Result(installExit, "E: Unable to locate package dataset-fashion-mnist\n");
            }
            return new AptInstaller.Result(0, "");
        }
    }

    @Test
    void rootWithAptGetInstallsFashionMnistDirectly(@TempDir Path dir) throws Exception {
        Machine m = new Machine(dir, "apt-get");
        m.uid = "0";
        AptInstaller.Plan plan = AptInstaller.of(m.env(), m, s -> { }).plan(KnownDataset.FASHION_MNIST);
        assertThat(plan.possible()).isTrue();
        assertThat(plan.commands()).containsExactly(List.of("apt-get", "update", "-qq"),
                List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "dataset-fashion-mnist"));
    }

    @Test
    void aUserWithPasswordlessSudoInstallsThroughSudo(@TempDir Path dir) throws Exception {
        Machine m = new Machine(dir, "apt-get", "sudo");
        m.sudoWorks = true;
        AptInstaller.Plan plan = AptInstaller.of(m.env(), m, s -> { }).plan(KnownDataset.FASHION_MNIST);
        assertThat(plan.commands()).allSatisfy(c -> assertThat(c.subList(0, 3)).containsExactly("sudo", "-n", "apt-get"));
    }

    @Test
    void noRootNoSudoNoAptOrNoPackageMeansNoInstall(@TempDir Path dir) throws Exception {
        Machine sudoAsksForAPassword = new Machine(dir.resolve("a"), "apt-get", "sudo");
        assertThat(AptInstaller.of(sudoAsksForAPassword.env(), sudoAsksForAPassword, s -> { }).plan(KnownDataset.FASHION_MNIST)
                .whyNot()).isEqualTo("installing it needs root or passwordless sudo");

        Machine noApt = new Machine(dir.resolve("b"));
        noApt.uid = "0";
        assertThat(AptInstaller.of(noApt.env(), noApt, s -> { }).plan(KnownDataset.FASHION_MNIST).whyNot())
                .isEqualTo("no apt-get on this machine");

        Machine root = new Machine(dir.resolve("c"), "apt-get");
        root.uid = "0";
        // Debian packages Fashion-MNIST only (apt-cache search mnist, Debian 12/13)
        assertThat(AptInstaller.of(root.env(), root, s -> { }).plan(KnownDataset.MNIST).possible()).isFalse();
        assertThat(AptInstaller.of(root.env(), root, s -> { }).plan(KnownDataset.CIFAR10).possible()).isFalse();
        assertThat(root.ran).isEmpty();
    }

    @Test
    void theLocatorInstallsSaysSoInOneLineAndLooksAgain(@TempDir Path dir) throws Exception {
        Machine m = new Machine(dir, "apt-get");
        m.uid = "0";
        Path system = dir.resolve("usr-share-datasets");
        m.onInstall = () -> { // what the package does: files under /usr/share/datasets/fashion-mnist
            try {
                Path d = Files.createDirectories(system.resolve("fashion-mnist"));
                DatasetFilesTest.writeIdx(d, "train", 20, 28, 28, true, 0);
                DatasetFilesTest.writeIdx(d, "t10k", 10, 28, 28, true, 0);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        List<String> said = new ArrayList<>();
        // the mirror is unreachable: a port nothing listens on
        Map<String, String> env = Map.of("PATH", m.bin.toString(), "ANYNAS_MIRROR", "http://127.0.0.1:9/");
        DatasetLocator locator = DatasetLocator.of(env, dir.resolve("home"), system, true, AptInstaller.of(m.env(), m, said::add));

        assertThat(locator.locate(KnownDataset.FASHION_MNIST, null)).isEqualTo(system.resolve("fashion-mnist"));
        assertThat(said).singleElement().asString().contains("dataset-fashion-mnist").doesNotContain("\n");
        assertThat(m.ran).contains(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "dataset-fashion-mnist"));
    }

    @Test
    void aFailedInstallIsPartOfTheOneLineError(@TempDir Path dir) throws Exception {
        Machine m = new Machine(dir, "apt-get");
        m.uid = "0";
        m.installExit = 100;
        Map<String, String> env = Map.of("ANYNAS_MIRROR", "http://127.0.0.1:9/");
        DatasetLocator locator = DatasetLocator.of(env, dir.resolve("home"), dir.resolve("system"), true,
                AptInstaller.of(m.env(), m, s -> { }));
        assertThatThrownBy(() -> locator.locate(KnownDataset.FASHION_MNIST, null)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("apt-get install -y -qq --no-install-recommends dataset-fashion-mnist failed (exit 100: "
                        + "E: Unable to locate package dataset-fashion-mnist)")
                .hasMessageNotContaining("\n");
        // MNIST: not packaged, so apt is not even asked
        m.ran.clear();
        assertThatThrownBy(() -> locator.locate(KnownDataset.MNIST, null)).isInstanceOf(DatasetException.class);
        assertThat(m.ran).isEmpty();
    }
}
